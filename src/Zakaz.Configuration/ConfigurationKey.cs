using System.Net;
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
/// One setting: its key in appsettings.json (sections joined by ':', also the path of its property in the
/// options), its environment variable (also used in env files), its command-line flag if it has one, and
/// what text it accepts.
/// </summary>
public sealed class ConfigurationKey(
    string key, string environmentVariable, string? commandLineFlag, string description, ConfigurationValueKind kind, bool isSecret,
    Func<string, string, IDictionary<string, string?>, string?> bind)
{
    public string Key { get; } = key;

    public string EnvironmentVariable { get; } = environmentVariable;

    public string? CommandLineFlag { get; } = commandLineFlag;

    public string Description { get; } = description;

    public ConfigurationValueKind Kind { get; } = kind;

    /// <summary>Never printed: shown as <c>***</c> when set.</summary>
    public bool IsSecret { get; } = isSecret;

    /// <summary>
    /// Checks <paramref name="value"/> and writes it to <paramref name="settings"/> in the spelling the configuration
    /// binder reads (e.g. seconds as a TimeSpan); returns what is wrong with it, or null.
    /// </summary>
    internal string? Bind(string value, IDictionary<string, string?> settings) => bind(Key, value, settings);

    /// <summary>The value of this setting in <paramref name="options"/> as it may be printed, or null when it is unset.</summary>
    public string? Display(object options) => Text(options) is { } text ? Mask(text) : null;

    /// <summary>The value of this setting in <paramref name="options"/> spelled as it is configured, or null when it is unset.</summary>
    internal string? Text(object options)
    {
        object? value = options;
        foreach (var name in Key.Split(':'))
        {
            value = value?.GetType().GetProperty(name)?.GetValue(value);
        }
        var text = value switch
        {
            Uri uri => uri.OriginalString,
            bool flag => flag ? "true" : "false",
            TimeSpan span => span.TotalSeconds.ToString(CultureInfo.InvariantCulture),
            TimeOnly time => time.ToString(time.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture),
            IEnumerable<IPNetwork> networks => string.Join(',', networks),
            IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
            _ => value?.ToString(),
        };
        return text is { Length: > 0 } ? text : null;
    }

    internal string Mask(string value) => IsSecret
        ? "***"
        : Kind == ConfigurationValueKind.Url ? UrlPasswords.Mask(value) : value;

    public override string ToString() => Key;
}
