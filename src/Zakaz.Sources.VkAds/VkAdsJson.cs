namespace Zakaz.Sources.VkAds;

/// <summary>
/// Tolerant reads (spec §3, "Number formats"): counts and ids arrive as numbers or numeric strings, money as
/// strings such as <c>"23328.92"</c>, read as decimal from the text, never through double. Missing and null read alike.
/// </summary>
internal static class VkAdsJson
{
    public static JsonElement? Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static long Long(JsonElement e, string name) => OptionalLong(e, name) ?? throw Invalid(name, "missing");

    public static long? OptionalLong(JsonElement e, string name) => Property(e, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var d) && d == decimal.Truncate(d) => (long)d,
        { ValueKind: JsonValueKind.String } v when v.GetString() is "" => null,
        { ValueKind: JsonValueKind.String } v when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        { ValueKind: JsonValueKind.String } v when decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && d == decimal.Truncate(d) => (long)d,
        var v => throw Invalid(name, $"not an integer ({v.Value.GetRawText()})"),
    };

    public static decimal Money(JsonElement e, string name) => Property(e, name) switch
    {
        null => 0m,
        { ValueKind: JsonValueKind.Number } v when v.TryGetDecimal(out var n) => n,
        { ValueKind: JsonValueKind.String } v when v.GetString() is "" => 0m,
        { ValueKind: JsonValueKind.String } v when decimal.TryParse(v.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) => n,
        var v => throw Invalid(name, $"not an amount ({v.Value.GetRawText()})"),
    };

    public static string Text(JsonElement e, string name) => Property(e, name) switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } v => v.GetString()!,
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        var v => throw Invalid(name, $"not text (a JSON {v.Value.ValueKind.ToString().ToLowerInvariant()})"),
    };

    public static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
        Property(e, name) is { ValueKind: JsonValueKind.Array } array ? array.EnumerateArray() : [];

    /// <summary>The platform's error code: <c>error.code</c>, then <c>code</c>, then <c>error</c> as a string (spec §5).</summary>
    public static (string? Code, string? Message) Error(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return Property(root, "error") switch
            {
                { ValueKind: JsonValueKind.Object } error => (NullIfEmpty(Text(error, "code")), NullIfEmpty(Text(error, "message"))),
                _ when Property(root, "code") is not null => (NullIfEmpty(Text(root, "code")), NullIfEmpty(Text(root, "message"))),
                { ValueKind: JsonValueKind.String } text => (text.GetString(), NullIfEmpty(Text(root, "error_description"))),
                _ => (null, null),
            };
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;

    private static VkAdsFormatException Invalid(string name, string what) => new($"'{name}' is {what}");
}
