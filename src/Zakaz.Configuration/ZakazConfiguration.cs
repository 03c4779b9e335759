using System.Collections;
using Zakaz.Storage;

namespace Zakaz.Configuration;

/// <summary>
/// Loads <see cref="ZakazOptions"/> from, lowest precedence first: appsettings.json, the environment,
/// the <c>--env-file</c> and the command-line flags. Each source overrides the previous ones key by key.
/// </summary>
/// <remarks>
/// An empty value counts as not set, so a compose file's <c>FOO=</c> does not wipe a value from a lower source.
/// Besides the names in <see cref="ConfigurationKeys.All"/>, the environment and the env file accept
/// <c>ZAKAZ_Section__Key</c> (e.g. <c>ZAKAZ_Storage__DataDirectory</c>); the documented name wins when both are set.
/// CLICKHOUSE_URL and CLICKHOUSE_HOST may both be set, from any sources: the URL wins and a warning says so.
/// </remarks>
public static class ZakazConfiguration
{
    public const string AppSettingsFileName = "appsettings.json";

    private const string HierarchicalPrefix = "ZAKAZ_";
    private const string HierarchicalSeparator = "__";

    public static LoadedConfiguration Load(ConfigurationSources sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var workingDirectory = sources.WorkingDirectory ?? Directory.GetCurrentDirectory();
        var values = new Dictionary<ConfigurationKey, SourcedValue>();
        var warnings = new List<string>();

        ReadAppSettings(sources, workingDirectory, values, warnings);

        var environment = sources.EnvironmentVariables ?? Environment.GetEnvironmentVariables();
        ApplyVariables(EnvironmentVariables(environment), ConfigurationLayer.Environment, values, warnings, warnUnknownNames: false);

        if (sources.EnvFile is { } envFile)
        {
            var path = Path.GetFullPath(envFile, workingDirectory);
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"env file '{envFile}' not found (--env-file)");
            }
            var fileVariables = DotEnvParser.Parse(ReadText(path, envFile), envFile)
                .Select(v => new Variable(v.Name, v.Value, $"{envFile}:{v.Line}"));
            ApplyVariables(fileVariables, ConfigurationLayer.EnvFile, values, warnings, warnUnknownNames: true);
        }

        ApplyFlags(sources.Flags, values);

        return Bind(values, warnings, workingDirectory);
    }

    private static void ReadAppSettings(
        ConfigurationSources sources,
        string workingDirectory,
        Dictionary<ConfigurationKey, SourcedValue> values,
        List<string> warnings)
    {
        var files = new List<(string Path, string DisplayName)>();
        var implicitPath = Path.Combine(workingDirectory, AppSettingsFileName);
        if (File.Exists(implicitPath))
        {
            files.Add((Path.GetFullPath(implicitPath), AppSettingsFileName));
        }
        foreach (var file in sources.AppSettingsFiles)
        {
            var path = Path.GetFullPath(file, workingDirectory);
            if (!File.Exists(path))
            {
                throw new ConfigurationException($"settings file '{file}' not found");
            }
            // Naming the working directory's appsettings.json explicitly must not read it twice.
            if (!files.Any(f => f.Path == path))
            {
                files.Add((path, file));
            }
        }

        foreach (var (path, displayName) in files)
        {
            IReadOnlyList<KeyValuePair<string, string>> pairs;
            try
            {
                pairs = AppSettingsReader.Read(path, displayName);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new ConfigurationException($"cannot read {displayName}: {e.Message}");
            }
            foreach (var (name, value) in pairs)
            {
                if (ConfigurationKeys.FindByKey(name) is { } key)
                {
                    Set(values, key, new SourcedValue(value, ConfigurationLayer.AppSettings, displayName, name));
                }
                else
                {
                    warnings.Add($"{displayName}: unknown setting '{name}' (ignored)");
                }
            }
        }
    }

    private static void ApplyVariables(
        IEnumerable<Variable> variables,
        ConfigurationLayer layer,
        Dictionary<ConfigurationKey, SourcedValue> values,
        List<string> warnings,
        bool warnUnknownNames)
    {
        var hierarchical = new List<(ConfigurationKey Key, Variable Variable)>();
        var named = new List<(ConfigurationKey Key, Variable Variable)>();
        foreach (var variable in variables)
        {
            if (ConfigurationKeys.FindByEnvironmentVariable(variable.Name) is { } key)
            {
                named.Add((key, variable));
            }
            else if (HierarchicalKey(variable.Name) is { } path)
            {
                if (ConfigurationKeys.FindByKey(path) is { } hierarchicalKey)
                {
                    hierarchical.Add((hierarchicalKey, variable));
                }
                else
                {
                    warnings.Add($"{variable.Name} ({variable.Source}): no setting '{path}' (ignored)");
                }
            }
            else if (warnUnknownNames)
            {
                warnings.Add($"{variable.Source}: unknown variable {variable.Name} (ignored)");
            }
        }
        foreach (var (key, variable) in hierarchical.Concat(named))
        {
            Set(values, key, new SourcedValue(variable.Value, layer, variable.Source, variable.Name));
        }
    }

    private static IEnumerable<Variable> EnvironmentVariables(IDictionary environment)
    {
        // IDictionary's own enumerator, not the collection's: a Dictionary<,> passed in would otherwise yield KeyValuePairs.
        var entries = environment.GetEnumerator();
        while (entries.MoveNext())
        {
            if (entries.Key is string name && entries.Value is string value)
            {
                yield return new Variable(name, value, "environment");
            }
        }
    }

    /// <summary><c>ZAKAZ_Storage__DataDirectory</c> → <c>Storage:DataDirectory</c>; null for any other name.</summary>
    private static string? HierarchicalKey(string name) =>
        name.StartsWith(HierarchicalPrefix, StringComparison.Ordinal) && name.Contains(HierarchicalSeparator, StringComparison.Ordinal)
            ? name[HierarchicalPrefix.Length..].Replace(HierarchicalSeparator, ":", StringComparison.Ordinal)
            : null;

    private static void ApplyFlags(IReadOnlyDictionary<string, string?> flags, Dictionary<ConfigurationKey, SourcedValue> values)
    {
        foreach (var (flag, value) in flags)
        {
            var key = ConfigurationKeys.FindByFlag(flag)
                ?? throw new ConfigurationException($"unknown option {flag}");
            var name = key.CommandLineFlag!;
            if (string.IsNullOrEmpty(value) && key.Kind != ConfigurationValueKind.Boolean)
            {
                throw new ConfigurationException($"{name} needs a value");
            }
            Set(values, key, new SourcedValue(string.IsNullOrEmpty(value) ? "true" : value, ConfigurationLayer.CommandLine, "command line", name));
        }
    }

    private static void Set(Dictionary<ConfigurationKey, SourcedValue> values, ConfigurationKey key, SourcedValue value)
    {
        if (!string.IsNullOrWhiteSpace(value.Text))
        {
            values[key] = value;
        }
    }

    private static LoadedConfiguration Bind(Dictionary<ConfigurationKey, SourcedValue> values, List<string> warnings, string workingDirectory)
    {
        var options = new ZakazOptions();
        var problems = new List<string>();
        foreach (var key in ConfigurationKeys.All)
        {
            if (values.TryGetValue(key, out var value) && key.Apply(options, value.Text) is { } problem)
            {
                problems.Add($"{value.Name}='{key.Mask(value.Text)}' {problem} (from {value.Source})");
            }
        }
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }

        if (values.TryGetValue(ConfigurationKeys.FindByKey("Storage:Url")!, out var url)
            && values.TryGetValue(ConfigurationKeys.FindByKey("Storage:Host")!, out var host))
        {
            warnings.Add($"{host.Name} ({host.Source}) is ignored: {url.Name} ({url.Source}) is set and the URL wins");
        }
        if (values.TryGetValue(ConfigurationKeys.FindByKey("Storage:Url")!, out var typedUrl) && typedUrl.Layer == ConfigurationLayer.CommandLine
            && Uri.TryCreate(typedUrl.Text.Trim(), UriKind.Absolute, out var parsed) && parsed.UserInfo.Split(':', 2) is [_, { Length: > 0 }])
        {
            warnings.Add($"the password in {typedUrl.Name} is visible to every local user (ps); leave it out of the URL and give it in CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE");
        }
        ReadPasswordFile(options, values, workingDirectory, warnings);

        var entries = ConfigurationKeys.All
            .Select(key => values.TryGetValue(key, out var value)
                ? new ConfigurationEntry(key.Key, key.Display(options), value.Layer, value.Source, value.Name)
                : new ConfigurationEntry(key.Key, key.Display(options), ConfigurationLayer.Default, "default", key.Key))
            .ToList();
        return new LoadedConfiguration(options, entries, warnings);
    }

    /// <summary>The password of <c>CLICKHOUSE_PASSWORD_FILE</c> into <see cref="StorageOptions.Password"/>, with a warning when others may read the file.</summary>
    private static void ReadPasswordFile(ZakazOptions options, Dictionary<ConfigurationKey, SourcedValue> values, string workingDirectory, List<string> warnings)
    {
        if (!values.TryGetValue(ConfigurationKeys.FindByKey("Storage:PasswordFile")!, out var file))
        {
            return;
        }
        var path = Path.GetFullPath(file.Text.Trim(), workingDirectory);
        var source = $"{file.Name} '{file.Text}' (from {file.Source})";
        string password;
        try
        {
            password = File.ReadAllText(path).TrimEnd('\r', '\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read {source}: {e.Message}");
        }
        if (password.Length == 0)
        {
            throw new ConfigurationException($"{source} is empty; it should hold the ClickHouse password");
        }
        if (OwnerOnly.WiderThanOwner(path) is { } mode)
        {
            warnings.Add($"{source} has mode {OwnerOnly.Octal(mode)}: other local users can read the password; chmod 600 {path}");
        }
        if (values.TryGetValue(ConfigurationKeys.FindByKey("Storage:Password")!, out var direct))
        {
            warnings.Add($"{direct.Name} ({direct.Source}) is ignored: {file.Name} ({file.Source}) is set and the file wins");
        }
        options.Storage.Password = password;
    }

    private static string ReadText(string path, string displayName)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigurationException($"cannot read {displayName}: {e.Message}");
        }
    }

    private sealed record Variable(string Name, string Value, string Source);

    /// <summary>A raw value and where it was found, kept until binding so errors and listings can name the source.</summary>
    private sealed record SourcedValue(string Text, ConfigurationLayer Layer, string Source, string Name);
}
