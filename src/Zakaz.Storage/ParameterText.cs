using System.Collections;

namespace Zakaz.Storage;

/// <summary>The text a ClickHouse engine parses for a query parameter of a given type.</summary>
/// <remarks>
/// Both engines read a parameter's text with the type's "escaped" deserialization (ReplaceQueryParameterVisitor).
/// For scalars that is TabSeparated escaping, <c>\N</c> for NULL. An array's escaped text IS its literal,
/// <c>['a\'b',NULL]</c>, so an array is quoted once, element by element, and never escaped again on top.
/// </remarks>
internal static class ParameterText
{
    private const string Null = @"\N";

    public static string Format(object? value, ClickHouseType type) =>
        Text(value, type) is not { } text ? Null
        : UnwrapNullable(type).Kind == ClickHouseTypeKind.Array ? text
        : SqlText.Escape(text, quote: false);

    /// <summary>The text a CAST from String reads (a scalar unquoted, an array as its literal), or null for NULL.</summary>
    public static string? Text(object? value, ClickHouseType type)
    {
        if (type.IsNullable && value is null or DBNull)
        {
            return null;
        }
        var t = UnwrapNullable(type);
        return t.Kind == ClickHouseTypeKind.Array ? Literal(value, t) : Raw(value, t);
    }

    public static ClickHouseType UnwrapNullable(ClickHouseType type) => type.IsNullable ? type.Value.Inner!.Value : type.Value;

    /// <summary>The value as a SQL literal, as array elements are written: quoted strings, dates and UUIDs, bare numbers, <c>NULL</c>, arrays in brackets.</summary>
    private static string Literal(object? value, ClickHouseType type)
    {
        var t = type.Value;
        return t.Kind switch
        {
            ClickHouseTypeKind.Nullable => value is null or DBNull ? "NULL" : Literal(value, t.Inner!),
            ClickHouseTypeKind.Array => "[" + string.Join(",", Elements(value, t).Select(v => Literal(v, t.Inner!))) + "]",
            ClickHouseTypeKind.String or ClickHouseTypeKind.FixedString or ClickHouseTypeKind.Date or ClickHouseTypeKind.Date32
                or ClickHouseTypeKind.DateTime or ClickHouseTypeKind.DateTime64 or ClickHouseTypeKind.Uuid => SqlText.QuoteString(Raw(value, t)),
            _ => Raw(value, t),
        };
    }

    private static string Raw(object? value, ClickHouseType type)
    {
        if (value is null or DBNull)
        {
            throw new ArgumentException($"NULL given for a parameter of non-Nullable type {type}.");
        }
        return type.Kind switch
        {
            ClickHouseTypeKind.Date or ClickHouseTypeKind.Date32 => FormatDate(value),
            ClickHouseTypeKind.DateTime => FormatDateTime(value, type.TimeZone, 0),
            ClickHouseTypeKind.DateTime64 => FormatDateTime(value, type.TimeZone, type.Scale),
            ClickHouseTypeKind.Bool => Convert.ToBoolean(value, CultureInfo.InvariantCulture) ? "true" : "false",
            _ when value is bool b => b ? "1" : "0",
            _ when value is IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };
    }

    private static IEnumerable<object?> Elements(object? value, ClickHouseType type) => value switch
    {
        null or DBNull => throw new ArgumentException($"NULL given for a parameter of non-Nullable type {type}; give an empty array instead."),
        string => throw new ArgumentException($"A string was given for a parameter of type {type}; give a collection of its elements."),
        IEnumerable items => items.Cast<object?>(),
        _ => throw new ArgumentException($"Cannot use {value.GetType().Name} as {type}."),
    };

    private static string FormatDate(object value) => value switch
    {
        DateOnly or DateTime or DateTimeOffset => ((IFormattable)value).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
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
}

/// <summary>IANA zones are looked up once; ClickHouse zone names are IANA names.</summary>
internal static class ZoneCache
{
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    public static TimeZoneInfo Get(string id) => Zones.GetOrAdd(id, TimeZoneInfo.FindSystemTimeZoneById);
}
