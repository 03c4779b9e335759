using System.Globalization;
using System.Text;

namespace Zakaz.Storage.Text;

/// <summary>
/// Reads ClickHouse's TabSeparatedWithNamesAndTypes output into typed rows. Text is the one typed
/// output format every engine generation speaks (old servers lack RowBinaryWithNamesAndTypes).
/// </summary>
internal static class TabSeparatedReader
{
    public static QueryResult Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return new QueryResult([], []);
        }
        var text = Encoding.UTF8.GetString(data);
        var lines = text.Split('\n');
        var count = lines.Length;
        if (count > 0 && lines[^1].Length == 0)
        {
            count--;
        }
        if (count < 2)
        {
            throw new FormatException("The engine's answer has no names and types header.");
        }
        var names = lines[0].Split('\t').Select(Unescape).ToArray();
        var types = lines[1].Split('\t').Select(t => ClickHouseType.Parse(Unescape(t))).ToArray();
        var columns = names.Zip(types, (n, t) => new QueryColumn(n!, t)).ToArray();
        var rows = new List<object?[]>(count - 2);
        for (var i = 2; i < count; i++)
        {
            var fields = lines[i].Split('\t');
            var row = new object?[columns.Length];
            for (var c = 0; c < columns.Length; c++)
            {
                row[c] = ParseValue(fields[c], columns[c].Type);
            }
            rows.Add(row);
        }
        return new QueryResult(columns, rows);
    }

    internal static object? ParseValue(string field, ClickHouseType type)
    {
        var t = type.Value;
        if (t.Kind == ClickHouseTypeKind.Nullable)
        {
            return field == @"\N" ? null : ParseValue(field, t.Inner!);
        }
        var ci = CultureInfo.InvariantCulture;
        return t.Kind switch
        {
            ClickHouseTypeKind.String or ClickHouseTypeKind.FixedString => Unescape(field),
            ClickHouseTypeKind.UInt8 => byte.Parse(field, ci),
            ClickHouseTypeKind.UInt16 => ushort.Parse(field, ci),
            ClickHouseTypeKind.UInt32 => uint.Parse(field, ci),
            ClickHouseTypeKind.UInt64 => ulong.Parse(field, ci),
            ClickHouseTypeKind.Int8 => sbyte.Parse(field, ci),
            ClickHouseTypeKind.Int16 => short.Parse(field, ci),
            ClickHouseTypeKind.Int32 => int.Parse(field, ci),
            ClickHouseTypeKind.Int64 => long.Parse(field, ci),
            ClickHouseTypeKind.Float32 => (float)ParseDouble(field),
            ClickHouseTypeKind.Float64 => ParseDouble(field),
            ClickHouseTypeKind.Bool => field is "true" or "1",
            ClickHouseTypeKind.Decimal => decimal.Parse(field, NumberStyles.Float, ci),
            ClickHouseTypeKind.Date or ClickHouseTypeKind.Date32 => DateOnly.ParseExact(field, "yyyy-MM-dd", ci),
            ClickHouseTypeKind.DateTime or ClickHouseTypeKind.DateTime64 => ParseDateTime(field, t.TimeZone),
            ClickHouseTypeKind.Uuid => Guid.Parse(field),
            ClickHouseTypeKind.Nothing => null,
            ClickHouseTypeKind.Array => ArrayText.Parse(Unescape(field), t.Inner!),
            _ => throw new NotSupportedException($"Reading {t} is not supported."),
        };
    }

    private static double ParseDouble(string s) => s switch
    {
        "inf" or "+inf" => double.PositiveInfinity,
        "-inf" => double.NegativeInfinity,
        "nan" or "-nan" => double.NaN,
        _ => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    /// <summary>A zoned column becomes an exact instant in its zone; a zone-less one stays the server's wall time.</summary>
    private static object ParseDateTime(string s, string? zone)
    {
        var wall = DateTime.Parse(s, CultureInfo.InvariantCulture, DateTimeStyles.None);
        if (zone is null)
        {
            return wall;
        }
        var tz = ZoneCache.Get(zone);
        return new DateTimeOffset(wall, tz.GetUtcOffset(wall));
    }

    internal static string Unescape(string s)
    {
        if (!s.Contains('\\', StringComparison.Ordinal))
        {
            return s;
        }
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\' || i + 1 == s.Length)
            {
                sb.Append(c);
                continue;
            }
            var next = s[++i];
            sb.Append(next switch
            {
                't' => '\t',
                'n' => '\n',
                'r' => '\r',
                '0' => '\0',
                'b' => '\b',
                'f' => '\f',
                'a' => '\a',
                'v' => '\v',
                _ => next,
            });
        }
        return sb.ToString();
    }
}

/// <summary>Parses the quoted text form of arrays: <c>[1,2]</c>, <c>['a','b\'c']</c>.</summary>
internal static class ArrayText
{
    public static List<object?> Parse(string text, ClickHouseType element)
    {
        var items = new List<object?>();
        var body = text.Trim();
        if (body.Length < 2 || body[0] != '[' || body[^1] != ']')
        {
            throw new FormatException($"'{text}' is not an array.");
        }
        var i = 1;
        while (i < body.Length - 1)
        {
            if (body[i] is ',' or ' ')
            {
                i++;
                continue;
            }
            string token;
            if (body[i] == '\'')
            {
                var end = SqlText.SkipQuoted(body, i);
                token = TabSeparatedReader.Unescape(body[(i + 1)..(end - 1)]);
                i = end;
            }
            else
            {
                var end = body.IndexOf(',', i);
                end = end < 0 ? body.Length - 1 : end;
                token = body[i..end].Trim();
                i = end;
            }
            items.Add(token == "NULL" ? null : TabSeparatedReader.ParseValue(token, element));
        }
        return items;
    }
}
