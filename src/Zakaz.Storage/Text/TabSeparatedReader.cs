namespace Zakaz.Storage.Text;

/// <summary>Reads TabSeparatedWithNamesAndTypes, the one typed format every engine generation speaks (old servers lack RowBinary's).</summary>
internal static class TabSeparatedReader
{
    public static QueryResult Read(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            return new QueryResult([], []);
        }
        var lines = Encoding.UTF8.GetString(data).Split('\n');
        var count = lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count < 2)
        {
            throw new FormatException("The engine's answer has no names and types header.");
        }
        var columns = lines[0].Split('\t').Zip(lines[1].Split('\t'), (n, t) => new QueryColumn(Unescape(n), ClickHouseType.Parse(Unescape(t)))).ToArray();
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
        var ci = CultureInfo.InvariantCulture;
        return t.Kind switch
        {
            ClickHouseTypeKind.Nullable => field == @"\N" ? null : ParseValue(field, t.Inner!),
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
            ClickHouseTypeKind.Array => ArrayText.Parse(field, t.Inner!),
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
        return zone is null ? wall : new DateTimeOffset(wall, ZoneCache.Get(zone).GetUtcOffset(wall));
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

/// <summary>Arrays as TabSeparated writes them, literals not escaped again: <c>[1,2]</c>, <c>['a','b\'c']</c>, <c>[NULL,'NULL']</c>, <c>[['a'],[]]</c>.</summary>
internal static class ArrayText
{
    public static List<object?> Parse(string text, ClickHouseType element)
    {
        var i = 0;
        var items = ParseArray(text, ref i, element);
        SkipSpaces(text, ref i);
        return i == text.Length ? items : throw NotAnArray(text);
    }

    private static List<object?> ParseArray(string s, ref int i, ClickHouseType element)
    {
        SkipSpaces(s, ref i);
        if (i == s.Length || s[i++] != '[')
        {
            throw NotAnArray(s);
        }
        var items = new List<object?>();
        SkipSpaces(s, ref i);
        if (i < s.Length && s[i] == ']')
        {
            i++;
            return items;
        }
        while (true)
        {
            SkipSpaces(s, ref i);
            items.Add(ParseElement(s, ref i, element));
            SkipSpaces(s, ref i);
            var separator = i < s.Length ? s[i++] : '\0';
            if (separator == ']')
            {
                return items;
            }
            if (separator != ',')
            {
                throw NotAnArray(s);
            }
        }
    }

    private static object? ParseElement(string s, ref int i, ClickHouseType type)
    {
        var t = ParameterText.UnwrapNullable(type);
        if (i < s.Length && s[i] == '[')
        {
            return ParseArray(s, ref i, t.Inner!);
        }
        if (i < s.Length && s[i] == '\'')
        {
            var end = SqlText.SkipQuoted(s, i);
            var value = Unquote(s[(i + 1)..(end - 1)]);
            i = end;
            return t.Kind is ClickHouseTypeKind.String or ClickHouseTypeKind.FixedString ? value : TabSeparatedReader.ParseValue(value, t);
        }
        var start = i;
        while (i < s.Length && s[i] is not (',' or ']'))
        {
            i++;
        }
        var token = s[start..i].Trim();
        return token == "NULL" ? null : TabSeparatedReader.ParseValue(token, t);
    }

    /// <summary>The body of a quoted literal: the same backslash escapes as the escaped form, and doubled quotes.</summary>
    private static string Unquote(string body) => TabSeparatedReader.Unescape(body.Replace("''", "\\'", StringComparison.Ordinal));

    private static void SkipSpaces(string s, ref int i)
    {
        while (i < s.Length && s[i] == ' ')
        {
            i++;
        }
    }

    private static FormatException NotAnArray(string text) => new($"'{text}' is not an array.");
}
