namespace Zakaz.Configuration;

/// <summary>The source layers, lowest precedence first.</summary>
public enum ConfigurationLayer
{
    Default,
    AppSettings,
    Environment,
    EnvFile,
    CommandLine,
}

/// <summary>One setting's effective value and where it came from, safe to print.</summary>
/// <param name="Key">The appsettings.json key, e.g. <c>Storage:Url</c>.</param>
/// <param name="Value">The value with secrets masked (<c>***</c>, or the password of a URL); null when unset.</param>
/// <param name="Source">Where in that layer: a settings file, <c>environment</c>, <c>file:line</c> of the env file, <c>command line</c> or <c>default</c>.</param>
/// <param name="Name">How it was spelled there: the JSON key, the variable name or the flag.</param>
public sealed record ConfigurationEntry(string Key, string? Value, ConfigurationLayer Layer, string Source, string Name)
{
    public const string NotSet = "(not set)";

    /// <summary>Where the value came from, in words: <c>from CLICKHOUSE_PORT in environment</c>.</summary>
    public string Origin => Layer switch
    {
        ConfigurationLayer.Default => "default",
        ConfigurationLayer.CommandLine => $"from {Name}",
        ConfigurationLayer.AppSettings => $"from {Source}",
        _ => $"from {Name} in {Source}",
    };

    public override string ToString() => $"{Key} = {Value ?? NotSet} ({Origin})";
}
