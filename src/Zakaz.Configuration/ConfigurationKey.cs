using Zakaz.Storage;

namespace Zakaz.Configuration;

/// <summary>What a setting accepts; drives validation and the printed configuration reference.</summary>
public enum ConfigurationValueKind
{
    Text,
    Path,
    Number,
    Boolean,
    Url,
    Seconds,

    /// <summary>A wall-clock time of day, HH:mm or HH:mm:ss.</summary>
    TimeOfDay,
}

/// <summary>
/// One setting: its key in appsettings.json, its environment variable (also used in env files),
/// its command-line flag if it has one, and how its text binds onto <see cref="ZakazOptions"/>.
/// </summary>
public sealed class ConfigurationKey
{
    private readonly Func<ZakazOptions, string?> _read;
    private readonly Func<ZakazOptions, string, string?> _apply;

    internal ConfigurationKey(
        string key,
        string environmentVariable,
        string? commandLineFlag,
        string description,
        ConfigurationValueKind kind,
        bool isSecret,
        Func<ZakazOptions, string?> read,
        Func<ZakazOptions, string, string?> apply)
    {
        Key = key;
        EnvironmentVariable = environmentVariable;
        CommandLineFlag = commandLineFlag;
        Description = description;
        Kind = kind;
        IsSecret = isSecret;
        _read = read;
        _apply = apply;
    }

    /// <summary>The path in appsettings.json, sections joined by ':' (e.g. <c>Storage:DataDirectory</c>).</summary>
    public string Key { get; }

    /// <summary>The variable name read from the environment and from <c>--env-file</c>.</summary>
    public string EnvironmentVariable { get; }

    /// <summary>The global flag that sets it (e.g. <c>--data</c>), or null when there is none.</summary>
    public string? CommandLineFlag { get; }

    public string Description { get; }

    public ConfigurationValueKind Kind { get; }

    /// <summary>Never printed: shown as <c>***</c> when set.</summary>
    public bool IsSecret { get; }

    /// <summary>The value when nothing configures it, masked like any printed value; null when it is unset.</summary>
    public string? DefaultValue => Display(new ZakazOptions());

    /// <summary>Binds <paramref name="value"/> onto <paramref name="options"/>; returns what is wrong with it, or null.</summary>
    internal string? Apply(ZakazOptions options, string value) => _apply(options, value);

    /// <summary>The current value as it may be printed, or null when it is unset.</summary>
    internal string? Display(ZakazOptions options) => _read(options) is { Length: > 0 } value ? Mask(value) : null;

    internal string Mask(string value) => IsSecret
        ? "***"
        : Kind == ConfigurationValueKind.Url ? UrlPasswords.Mask(value) : value;

    public override string ToString() => Key;
}
