using System.Collections;
using System.Globalization;
using System.Text;

namespace Zakaz.Storage;

/// <summary>
/// Turns a CLR value into the text a ClickHouse engine parses for a query parameter of a given type
/// (the "Escaped" text format: backslash escapes, <c>\N</c> for NULL).
/// </summary>
internal static class ParameterText
{
    private const string Null = @"\N";

    public static string Format(object? value, ClickHouseType type)
    {
        var raw = Raw(value, type);
        return raw is null ? Null : Escape(raw);
    }

    /// <summary>The unescaped text of the value, or null for NULL.</summary>
    public static string? Raw(object? value, ClickHouseType type)
    {
        var t = type.Value;
        if (t.Kind == ClickHouseTypeKind.Nullable)
        {
            return value is null or DBNull ? null : Raw(value, t.Inner!);
        }
        if (value is null or DBNull)
        {
            throw new ArgumentException($"NULL given for a parameter of non-Nullable type {type}.");
        }
        return t.Kind switch
        {
            ClickHouseTypeKind.Array => "[" + string.Join(",", ((IEnumerable)value).Cast<object?>().Select(v => Quoted(v, t.Inner!))) + "]",
            ClickHouseTypeKind.Date or ClickHouseTypeKind.Date32 => FormatDate(value),
            ClickHouseTypeKind.DateTime => FormatDateTime(value, t.TimeZone, 0),
            ClickHouseTypeKind.DateTime64 => FormatDateTime(value, t.TimeZone, t.Scale),
            ClickHouseTypeKind.Bool => Convert.ToBoolean(value, CultureInfo.InvariantCulture) ? "true" : "false",
            _ when value is bool b => b ? "1" : "0",
            _ when value is IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    private static string Quoted(object? value, ClickHouseType type)
    {
        var raw = Raw(value, type);
        if (raw is null)
        {
            return "NULL";
        }
        return type.Value.Kind is ClickHouseTypeKind.String or ClickHouseTypeKind.FixedString or ClickHouseTypeKind.Date
            or ClickHouseTypeKind.Date32 or ClickHouseTypeKind.DateTime or ClickHouseTypeKind.DateTime64 or ClickHouseTypeKind.Uuid
            || (type.Value.Kind == ClickHouseTypeKind.Nullable && type.Value.Inner!.Value.Kind == ClickHouseTypeKind.String)
            ? SqlText.QuoteString(raw)
            : raw;
    }

    private static string FormatDate(object value) => value switch
    {
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTime dt => dt.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset dto => dto.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        string s => s,
        _ => throw new ArgumentException($"Cannot use {value.GetType().Name} as a Date."),
    };

    /// <summary>The instant a DateTime parameter stands for; a DateTime without offset is wall time in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Instant(object value, string? zone) => value switch
    {
        DateTimeOffset dto => dto,
        DateTime { Kind: DateTimeKind.Utc } utc => new DateTimeOffset(utc),
        DateTime local when zone is not null => new DateTimeOffset(local, ZoneCache.Get(zone).GetUtcOffset(local)),
        DateTime other => new DateTimeOffset(DateTime.SpecifyKind(other, DateTimeKind.Utc)),
        _ => throw new ArgumentException($"Cannot use {value.GetType().Name} as a DateTime."),
    };

    private static string FormatDateTime(object value, string? zone, int scale)
    {
        // Written as wall time in the column's zone, which is how the engine reads it back;
        // without a zone it is written in UTC and the SQL should say toDateTime(..., 'UTC').
        var instant = Instant(value, zone);
        var wall = zone is null ? instant.UtcDateTime : TimeZoneInfo.ConvertTime(instant, ZoneCache.Get(zone)).DateTime;
        var text = wall.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        if (scale > 0)
        {
            var fraction = (wall.Ticks % TimeSpan.TicksPerSecond).ToString("D7", CultureInfo.InvariantCulture);
            text += "." + (scale <= 7 ? fraction[..scale] : fraction.PadRight(scale, '0'));
        }
        return text;
    }

    private static string Escape(string raw)
    {
        if (raw.AsSpan().IndexOfAny("\\\t\n\r\0") < 0)
        {
            return raw;
        }
        var sb = new StringBuilder(raw.Length + 8);
        foreach (var c in raw)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\t': sb.Append(@"\t"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\0': sb.Append(@"\0"); break;
                default: sb.Append(c); break;
            }
        }
        return sb.ToString();
    }
}

/// <summary>IANA zones are looked up once; ClickHouse zone names are IANA names.</summary>
internal static class ZoneCache
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    public static TimeZoneInfo Get(string id) => Zones.GetOrAdd(id, TimeZoneInfo.FindSystemTimeZoneById);
}
