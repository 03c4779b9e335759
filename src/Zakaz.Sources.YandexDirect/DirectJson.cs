namespace Zakaz.Sources.YandexDirect;

/// <summary>Tolerant reads of the object services' JSON: ids as numbers or numeric strings; missing and null read alike.</summary>
internal static class DirectJson
{
    public static JsonElement? Property(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static long Id(JsonElement e, string name) => OptionalId(e, name) ?? throw new FormatException($"'{name}' is missing");

    public static long? OptionalId(JsonElement e, string name) => Property(e, name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.String } v when v.GetString() is "" => null,
        { ValueKind: JsonValueKind.String } v when long.TryParse(v.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        var v => throw new FormatException($"'{name}' is not an id ({v.Value.GetRawText()})"),
    };

    public static string Text(JsonElement e, string name) => Property(e, name) switch
    {
        null => "",
        { ValueKind: JsonValueKind.String } v => v.GetString()!,
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        var v => throw new FormatException($"'{name}' is not text (a JSON {v.Value.ValueKind.ToString().ToLowerInvariant()})"),
    };

    /// <summary>The first non-empty <paramref name="field"/> among the type-specific structures an object may carry.</summary>
    public static string FirstOf(JsonElement e, IEnumerable<(string Structure, string Field)> places) =>
        places.Select(p => Property(e, p.Structure) is { } structure ? Text(structure, p.Field) : "").FirstOrDefault(text => text.Length > 0) ?? "";
}
