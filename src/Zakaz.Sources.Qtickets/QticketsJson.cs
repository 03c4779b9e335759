using Zakaz.Storage;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// Tolerant reads of Qtickets values (spec §4): the same field arrives as a number or a numeric
/// string, a boolean or 0/1, and money must become decimal without passing through double.
/// A missing property and JSON null read the same.
/// </summary>
internal static class QticketsJson
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    public static JsonElement? Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null
            ? value
            : null;

    /// <summary>A key: present and positive (a key of 0 or less cannot name anything).</summary>
    public static long Id(JsonElement e, string name) => OptionalId(e, name) switch
    {
        null => throw Missing(name),
        > 0 and var id => id,
        var id => throw NotAPositiveId(name, id.Value),
    };

    /// <summary>A reference that may be absent or 0 (none), but never negative.</summary>
    public static long? OptionalReference(JsonElement e, string name) => OptionalId(e, name) switch
    {
        < 0 and var id => throw NotAPositiveId(name, id),
        var id => id,
    };

    public static long? OptionalId(JsonElement e, string name) => Property(e, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.String } v when v.GetString() is "" => null,
        { ValueKind: JsonValueKind.String } v when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        var v => throw Invalid(name, "an integer", v.Value),
    };

    /// <summary>true/false, 0/1, or the same as strings; anything absent is false.</summary>
    public static bool Bool(JsonElement e, string name) => Property(e, name) switch
    {
        null => false,
        { ValueKind: JsonValueKind.True } => true,
        { ValueKind: JsonValueKind.False } => false,
        { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var n) && n is 0 or 1 => n == 1,
        { ValueKind: JsonValueKind.String } v => v.GetString() switch
        {
            "1" or "true" => true,
            "0" or "false" or "" => false,
            _ => throw Invalid(name, "a boolean", v),
        },
        var v => throw Invalid(name, "a boolean", v.Value),
    };

    public static decimal Money(JsonElement e, string name) => OptionalMoney(e, name) ?? throw Missing(name);

    /// <summary>A JSON number (int or float) or an invariant numeric string, read as decimal from its text.</summary>
    public static decimal? OptionalMoney(JsonElement e, string name) => Property(e, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var n) => WithinMoney(n, name),
        { ValueKind: JsonValueKind.String } v when v.GetString() is "" => null,
        { ValueKind: JsonValueKind.String } v when decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => WithinMoney(n, name),
        var v => throw Invalid(name, "an amount", v.Value),
    };

    private static decimal WithinMoney(decimal amount, string name) => Math.Abs(amount) <= ColumnRanges.MaxMoney
        ? amount
        : throw new QticketsFormatException(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {amount}, more than {ColumnRanges.MaxMoney}"));

    public static DateTimeOffset Timestamp(JsonElement e, string name) => OptionalTimestamp(e, name) ?? throw Missing(name);

    public static DateTimeOffset? OptionalTimestamp(JsonElement e, string name) => Property(e, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v when v.GetString() is "" => null,
        { ValueKind: JsonValueKind.String } v => ParseTimestamp(v.GetString()!, name),
        var v => throw Invalid(name, "a timestamp", v.Value),
    };

    /// <summary>
    /// ISO 8601 with an offset. A time without one is refused, never taken as UTC or local time:
    /// the API sends Moscow time with +03:00, and guessing the zone shifts sales to other days.
    /// </summary>
    public static DateTimeOffset ParseTimestamp(string text, string name)
    {
        if (!DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            throw new QticketsFormatException($"'{name}' is '{text}', not an ISO 8601 timestamp");
        }
        if (parsed.Kind == DateTimeKind.Unspecified)
        {
            throw new QticketsFormatException($"'{name}' is '{text}', a timestamp without a UTC offset; refusing to guess its time zone");
        }
        var instant = DateTimeOffset.ParseExact(text, TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.None);
        // Beyond what the staging's DateTime columns hold, it could only fail the insert later, without naming the field.
        return instant >= ColumnRanges.FirstDateTime && instant <= ColumnRanges.LastDateTime
            ? instant
            : throw new QticketsFormatException($"'{name}' is {text}, outside {ColumnRanges.FirstDateTime:yyyy-MM-dd}..{ColumnRanges.LastDateTime:yyyy-MM-dd}, the time the store holds");
    }

    /// <summary>A string, or a number's text; objects and arrays are not text.</summary>
    public static string? Text(JsonElement e, string name) => Property(e, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        var v => throw Invalid(name, "a string", v.Value),
    };

    /// <summary>The items of an array; a missing value, null or a non-array (PHP's empty <c>[]</c> vs <c>{}</c>) has none.</summary>
    public static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>Builds an entity, naming it in any format error so a bad value can be found in the source.</summary>
    public static T Read<T>(JsonElement e, string entity, Func<JsonElement, T> read)
    {
        try
        {
            return read(e);
        }
        catch (QticketsFormatException error)
        {
            var id = Property(e, "id") is { } idValue ? " " + idValue.GetRawText() : "";
            throw new QticketsFormatException($"{entity}{id}: {error.Message}");
        }
    }

    private static QticketsFormatException Missing(string name) => new($"'{name}' is missing");

    private static QticketsFormatException NotAPositiveId(string name, long id) => new(string.Create(CultureInfo.InvariantCulture, $"'{name}' is {id}, not a positive id"));

    private static QticketsFormatException Invalid(string name, string expected, JsonElement value) =>
        new($"'{name}' is not {expected} (a JSON {value.ValueKind.ToString().ToLowerInvariant()})");
}
