using System.Collections;

namespace Zakaz.Configuration;

/// <summary>Where <see cref="ZakazConfiguration.Load"/> reads settings from; later sources win key by key.</summary>
public sealed class ConfigurationSources
{
    /// <summary>Where the implicit appsettings.json is looked for and relative paths are resolved; null means the current directory.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Settings files read after the working directory's appsettings.json, later ones winning; each must exist.</summary>
    public IReadOnlyList<string> AppSettingsFiles { get; init; } = [];

    /// <summary>Environment variables by name; null means the process environment.</summary>
    public IDictionary? EnvironmentVariables { get; init; }

    /// <summary>A dotenv file (<c>--env-file</c>) using the same names as the environment; it must exist.</summary>
    public string? EnvFile { get; init; }

    /// <summary>
    /// Global flags the CLI already parsed, by name (<c>--data</c>, <c>--clickhouse</c>, <c>--verbose</c>);
    /// a null value for a boolean flag means it was given without a value.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Flags { get; init; } = new Dictionary<string, string?>();
}
