using System.Collections;
using System.ComponentModel;
using System.Net;
using Microsoft.Extensions.Configuration;
using Zakaz.Storage;

namespace Zakaz.Configuration;

/// <summary>
/// Builds the configuration from, lowest precedence first: appsettings.json, the environment, the
/// <c>--env-file</c> and the command-line flags, each a configuration provider overriding the previous ones
/// key by key; checks every value against <see cref="ConfigurationKeys.All"/> and binds the options.
/// </summary>
/// <remarks>
/// An empty value counts as not set, so a compose file's <c>FOO=</c> does not wipe a value from a lower source.
/// CLICKHOUSE_URL and CLICKHOUSE_HOST may both be set, from any sources: the URL wins and a warning says so.
/// </remarks>
public static class ZakazConfiguration
{
    public const string AppSettingsFileName = "appsettings.json";

    static ZakazConfiguration() =>
        // The binder converts text through type converters, and IPNetwork has none of its own.
        TypeDescriptor.AddAttributes(typeof(IPNetwork), new TypeConverterAttribute(typeof(NetworkConverter)));

    /// <exception cref="ConfigurationException">One line per bad value, naming where it came from.</exception>
    public static LoadedConfiguration<TOptions> Load<TOptions>(ConfigurationSources sources)
        where TOptions : new()
    {
        ArgumentNullException.ThrowIfNull(sources);
        var workingDirectory = sources.WorkingDirectory ?? Directory.GetCurrentDirectory();
        var builder = new ConfigurationBuilder();
        foreach (var (path, displayName) in SettingsFiles(sources, workingDirectory))
        {
            builder.Add(new SettingsFileSource(path, displayName));
        }
        builder.Add(new VariablesProvider(ConfigurationLayer.Environment, EnvironmentVariables(sources.EnvironmentVariables ?? Environment.GetEnvironmentVariables()), warnUnknownNames: false));
        if (sources.EnvFile is { } envFile)
        {
            var path = Path.GetFullPath(envFile, workingDirectory);
            builder.Add(File.Exists(path)
                ? new DotEnvConfigurationSource(path, envFile)
                : throw new ConfigurationException($"env file '{envFile}' not found (--env-file)"));
        }
        builder.Add(new FlagsProvider(sources.Flags));
        var root = builder.Build();

        var providers = root.Providers.Cast<ISourcedProvider>().ToList();
        var warnings = providers.SelectMany(p => p.Warnings).ToList();
        var values = new Dictionary<ConfigurationKey, SourcedValue>();
        foreach (var key in ConfigurationKeys.All)
        {
            if (root[key.Key] is { } text && !string.IsNullOrWhiteSpace(text))
            {
                var provider = providers.Last(p => ((IConfigurationProvider)p).TryGet(key.Key, out var value) && value == text);
                var (source, name) = provider.Origin(key.Key);
                values[key] = new SourcedValue(text, provider.Layer, source, name);
            }
        }

        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var problems = values.Select(v => v.Key.Bind(v.Value.Text, settings) is { } problem
            ? $"{v.Value.Name}='{v.Key.Mask(v.Value.Text)}' {problem} (from {v.Value.Source})" : null).OfType<string>().ToList();
        if (problems.Count > 0)
        {
            throw new ConfigurationException(problems);
        }
        warnings.AddRange(ServerWarnings(values));
        ReadPasswordFile(values, settings, workingDirectory, warnings);

        var bound = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var options = new TOptions();
        bound.Bind(options);
        var entries = ConfigurationKeys.All.Select(key => values.GetValueOrDefault(key) is { } value
            ? new ConfigurationEntry(key.Key, key.Display(options!), value.Layer, value.Source, value.Name)
            : new ConfigurationEntry(key.Key, key.Display(options!), ConfigurationLayer.Default, "default", key.Key)).ToList();
        return new LoadedConfiguration<TOptions>(options, bound, entries, warnings);
    }

    /// <summary>The working directory's appsettings.json if there is one, then the named files; a named file must exist.</summary>
    private static List<(string Path, string DisplayName)> SettingsFiles(ConfigurationSources sources, string workingDirectory)
    {
        var implicitPath = Path.GetFullPath(Path.Combine(workingDirectory, AppSettingsFileName));
        List<(string Path, string DisplayName)> files = File.Exists(implicitPath) ? [(implicitPath, AppSettingsFileName)] : [];
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
        return files;
    }

    private static IEnumerable<(string Name, string Value, string Source)> EnvironmentVariables(IDictionary environment)
    {
        // IDictionary's own enumerator, not the collection's: a Dictionary<,> passed in would otherwise yield KeyValuePairs.
        for (var entries = environment.GetEnumerator(); entries.MoveNext();)
        {
            if (entries.Key is string name && entries.Value is string value)
            {
                yield return (name, value, "environment");
            }
        }
    }

    private static IEnumerable<string> ServerWarnings(Dictionary<ConfigurationKey, SourcedValue> values)
    {
        values.TryGetValue(ConfigurationKeys.FindByKey("Storage:Url")!, out var url);
        if (url is not null && values.TryGetValue(ConfigurationKeys.FindByKey("Storage:Host")!, out var host))
        {
            yield return $"{host.Name} ({host.Source}) is ignored: {url.Name} ({url.Source}) is set and the URL wins";
        }
        if (url is { Layer: ConfigurationLayer.CommandLine }
            && Uri.TryCreate(url.Text.Trim(), UriKind.Absolute, out var parsed) && parsed.UserInfo.Split(':', 2) is [_, { Length: > 0 }])
        {
            yield return $"the password in {url.Name} is visible to every local user (ps); leave it out of the URL and give it in CLICKHOUSE_PASSWORD or --clickhouse-password-file FILE";
        }
    }

    /// <summary>The password of <c>CLICKHOUSE_PASSWORD_FILE</c> as <c>Storage:Password</c>, with a warning when others may read the file.</summary>
    private static void ReadPasswordFile(Dictionary<ConfigurationKey, SourcedValue> values, Dictionary<string, string?> settings, string workingDirectory, List<string> warnings)
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
        settings["Storage:Password"] = password;
    }

    /// <summary>A raw value and where it was found, kept until binding so errors and listings can name the source.</summary>
    private sealed record SourcedValue(string Text, ConfigurationLayer Layer, string Source, string Name);

    private sealed class NetworkConverter : TypeConverter
    {
        public override bool CanConvertFrom(ITypeDescriptorContext? context, Type sourceType) => sourceType == typeof(string);

        public override object? ConvertFrom(ITypeDescriptorContext? context, CultureInfo? culture, object value) => IPNetwork.Parse((string)value);
    }
}
