namespace Zakaz.Configuration;

/// <summary>The README's configuration table, generated from <see cref="ConfigurationKeys.All"/> so the two cannot drift apart.</summary>
public static class ConfigurationReference
{
    public const string BeginMarker = "<!-- configuration-reference:begin -->";
    public const string EndMarker = "<!-- configuration-reference:end -->";

    /// <summary>The table, with the defaults of <paramref name="defaults"/> (new options, as nothing configured binds them).</summary>
    public static string Markdown(object defaults)
    {
        var text = new StringBuilder();
        text.Append("| environment variable | appsettings.json key | flag | default | meaning |\n|---|---|---|---|---|\n");
        foreach (var key in ConfigurationKeys.All)
        {
            var secret = key.IsSecret ? " Secret: never logged." : "";
            text.Append($"| `{key.EnvironmentVariable}` | `{key.Key}` | {(key.CommandLineFlag is null ? "" : $"`{key.CommandLineFlag}`")} | {(key.Display(defaults) is { Length: > 0 } d ? $"`{d}`" : "")} | {key.Description}{secret} |\n");
        }
        return text.ToString();
    }
}
