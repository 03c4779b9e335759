using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.FileProviders.Physical;

namespace Zakaz.Configuration;

/// <summary>
/// A configuration provider that can say where each of its values came from, so errors and
/// <c>zakaz doctor</c> name the variable, the file and line or the flag a person has to fix.
/// </summary>
internal interface ISourcedProvider
{
    ConfigurationLayer Layer { get; }

    /// <summary>Names it read that are no setting: probably typos, so they are reported but do not stop loading.</summary>
    IReadOnlyList<string> Warnings { get; }

    /// <summary>Where <paramref name="key"/>'s value came from and how it was spelled there.</summary>
    (string Source, string Name) Origin(string key);
}

/// <summary>A settings file as the framework's JSON provider reads it (comments and trailing commas allowed), keys checked against the table.</summary>
internal sealed class SettingsFileSource : JsonConfigurationSource
{
    public SettingsFileSource(string fullPath, string displayName)
    {
        DisplayName = displayName;
        FileProvider = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(fullPath)!, ExclusionFilters.None);
        Path = System.IO.Path.GetFileName(fullPath);
        OnLoadException = context => throw (context.Exception.InnerException?.InnerException ?? context.Exception.InnerException) switch
        {
            System.Text.Json.JsonException or FormatException or null => new ConfigurationException($"{displayName} is not valid JSON: {Innermost(context.Exception).Message}"),
            var other => new ConfigurationException($"cannot read {displayName}: {other.Message}"),
        };
    }

    public string DisplayName { get; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder) => new SettingsFileProvider(this);

    private static Exception Innermost(Exception e) => e.InnerException is { } inner ? Innermost(inner) : e;
}

internal sealed class SettingsFileProvider(SettingsFileSource source) : JsonConfigurationProvider(source), ISourcedProvider
{
    private readonly List<string> _warnings = [];

    public ConfigurationLayer Layer => ConfigurationLayer.AppSettings;

    public IReadOnlyList<string> Warnings => _warnings;

    public override void Load(Stream stream)
    {
        base.Load(stream);
        _warnings.AddRange(Data.Keys.Where(k => ConfigurationKeys.FindByKey(k) is null)
            .Select(k => $"{source.DisplayName}: unknown setting '{k}' (ignored)"));
    }

    // Data's comparer ignores case; the key is reported as the file spells it.
    public (string Source, string Name) Origin(string key) =>
        (source.DisplayName, Data.Keys.First(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase)));
}

/// <summary>Variables by their documented names (<c>QTICKETS_TOKEN</c>) or as <c>ZAKAZ_Section__Key</c>; the documented name wins.</summary>
internal sealed class VariablesProvider(ConfigurationLayer layer, IEnumerable<(string Name, string Value, string Source)>? variables, bool warnUnknownNames)
    : ConfigurationProvider, ISourcedProvider, IConfigurationSource
{
    private const string HierarchicalPrefix = "ZAKAZ_";
    private const string HierarchicalSeparator = "__";

    private readonly Dictionary<string, (string Source, string Name)> _origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _warnings = [];

    public ConfigurationLayer Layer => layer;

    public IReadOnlyList<string> Warnings => _warnings;

    public (string Source, string Name) Origin(string key) => _origins[key];

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    internal IDictionary<string, string?> Values => Data;

    public override void Load() => Read(variables ?? []);

    internal void Read(IEnumerable<(string Name, string Value, string Source)> read)
    {
        var hierarchical = new List<(ConfigurationKey Key, string Name, string Value, string Source)>();
        var named = new List<(ConfigurationKey Key, string Name, string Value, string Source)>();
        foreach (var (name, value, source) in read)
        {
            if (ConfigurationKeys.FindByEnvironmentVariable(name) is { } key)
            {
                named.Add((key, name, value, source));
            }
            else if (HierarchicalKey(name) is { } path)
            {
                if (ConfigurationKeys.FindByKey(path) is { } hierarchicalKey)
                {
                    hierarchical.Add((hierarchicalKey, name, value, source));
                }
                else
                {
                    _warnings.Add($"{name} ({source}): no setting '{path}' (ignored)");
                }
            }
            else if (warnUnknownNames)
            {
                _warnings.Add($"{source}: unknown variable {name} (ignored)");
            }
        }
        foreach (var (key, name, value, source) in hierarchical.Concat(named))
        {
            // An empty value counts as not set, so a compose file's FOO= does not wipe a value from a lower source.
            if (!string.IsNullOrWhiteSpace(value))
            {
                Data[key.Key] = value;
                _origins[key.Key] = (source, name);
            }
        }
    }

    /// <summary><c>ZAKAZ_Storage__DataDirectory</c> → <c>Storage:DataDirectory</c>; null for any other name.</summary>
    private static string? HierarchicalKey(string name) =>
        name.StartsWith(HierarchicalPrefix, StringComparison.Ordinal) && name.Contains(HierarchicalSeparator, StringComparison.Ordinal)
            ? name[HierarchicalPrefix.Length..].Replace(HierarchicalSeparator, ":", StringComparison.Ordinal)
            : null;
}

/// <summary>The <c>--env-file</c>: dotenv lines under the environment's names, each value traced to its file:line.</summary>
internal sealed class DotEnvConfigurationSource : FileConfigurationSource
{
    public DotEnvConfigurationSource(string fullPath, string displayName)
    {
        DisplayName = displayName;
        FileProvider = new PhysicalFileProvider(System.IO.Path.GetDirectoryName(fullPath)!, ExclusionFilters.None);
        Path = System.IO.Path.GetFileName(fullPath);
        OnLoadException = context => throw context.Exception.InnerException switch
        {
            ConfigurationException problem => problem,
            var other => new ConfigurationException($"cannot read {displayName}: {(other ?? context.Exception).Message}"),
        };
    }

    public string DisplayName { get; }

    public override IConfigurationProvider Build(IConfigurationBuilder builder) => new DotEnvConfigurationProvider(this);
}

internal sealed class DotEnvConfigurationProvider(DotEnvConfigurationSource source) : FileConfigurationProvider(source), ISourcedProvider
{
    private readonly VariablesProvider _variables = new(ConfigurationLayer.EnvFile, null, warnUnknownNames: true);

    public ConfigurationLayer Layer => ConfigurationLayer.EnvFile;

    public IReadOnlyList<string> Warnings => _variables.Warnings;

    public (string Source, string Name) Origin(string key) => _variables.Origin(key);

    public override void Load(Stream stream)
    {
        using var reader = new StreamReader(stream);
        _variables.Read(DotEnvParser.Parse(reader.ReadToEnd(), source.DisplayName).Select(v => (v.Name, v.Value, $"{source.DisplayName}:{v.Line}")));
        Data = _variables.Values;
    }
}

/// <summary>The global flags the CLI parsed (<c>--data</c>, <c>--clickhouse</c>, <c>--verbose</c>), the highest layer.</summary>
internal sealed class FlagsProvider(IReadOnlyDictionary<string, string?> flags) : ConfigurationProvider, ISourcedProvider, IConfigurationSource
{
    public ConfigurationLayer Layer => ConfigurationLayer.CommandLine;

    public IReadOnlyList<string> Warnings => [];

    public (string Source, string Name) Origin(string key) => ("command line", ConfigurationKeys.FindByKey(key)!.CommandLineFlag!);

    public IConfigurationProvider Build(IConfigurationBuilder builder) => this;

    public override void Load()
    {
        foreach (var (flag, value) in flags)
        {
            var key = ConfigurationKeys.FindByFlag(flag) ?? throw new ConfigurationException($"unknown option {flag}");
            if (string.IsNullOrEmpty(value) && key.Kind != ConfigurationValueKind.Boolean)
            {
                throw new ConfigurationException($"{key.CommandLineFlag} needs a value");
            }
            var text = string.IsNullOrEmpty(value) ? "true" : value;
            if (!string.IsNullOrWhiteSpace(text))
            {
                Data[key.Key] = text;
            }
        }
    }
}
