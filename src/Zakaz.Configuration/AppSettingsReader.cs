using System.Text.Json;

namespace Zakaz.Configuration;

/// <summary>Flattens appsettings.json into <c>Section:Key</c> pairs, the shape the other sources use.</summary>
internal static class AppSettingsReader
{
    private static readonly JsonDocumentOptions Options = new()
    {
        // Hand-edited settings files carry comments and trailing commas.
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public static IReadOnlyList<KeyValuePair<string, string>> Read(string path, string displayName)
    {
        JsonDocument document;
        try
        {
            using var stream = File.OpenRead(path);
            document = JsonDocument.Parse(stream, Options);
        }
        catch (JsonException e)
        {
            throw new ConfigurationException($"{displayName} is not valid JSON: {e.Message}");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ConfigurationException($"{displayName} must hold a JSON object");
            }
            var pairs = new List<KeyValuePair<string, string>>();
            Flatten(document.RootElement, "", pairs);
            return pairs;
        }
    }

    private static void Flatten(JsonElement element, string path, List<KeyValuePair<string, string>> pairs)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    Flatten(property.Value, path.Length == 0 ? property.Name : $"{path}:{property.Name}", pairs);
                }
                break;
            case JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    Flatten(item, $"{path}:{index++}", pairs);
                }
                break;
            case JsonValueKind.Null:
                break;
            case JsonValueKind.String:
                pairs.Add(new(path, element.GetString()!));
                break;
            default:
                // Numbers and true/false keep their JSON spelling and are parsed like any other text.
                pairs.Add(new(path, element.GetRawText()));
                break;
        }
    }
}
