using Microsoft.Extensions.Configuration;

namespace Zakaz.Configuration;

/// <summary>The bound options together with where each value came from.</summary>
public sealed class LoadedConfiguration<TOptions>(TOptions options, IConfiguration settings, IReadOnlyList<ConfigurationEntry> entries, IReadOnlyList<string> warnings)
{
    public TOptions Options { get; } = options;

    /// <summary>Every value checked and spelled as the binder reads it, by appsettings.json key: what options are bound from.</summary>
    public IConfiguration Settings { get; } = settings;

    /// <summary>Every known setting, in <see cref="ConfigurationKeys.All"/> order, with secrets masked.</summary>
    public IReadOnlyList<ConfigurationEntry> Entries { get; } = entries;

    /// <summary>Things that did not stop loading but were probably not meant: unknown keys, a host overridden by a URL.</summary>
    public IReadOnlyList<string> Warnings { get; } = warnings;

    /// <summary>One line per setting, <c>Storage:Url = http://user:***@host:8123/zakaz (from --clickhouse)</c>, then the warnings.</summary>
    public string Describe()
    {
        var width = Entries.Max(e => e.Key.Length);
        return string.Concat(Entries.Select(e => $"{e.Key.PadRight(width)} = {e.Value ?? ConfigurationEntry.NotSet} ({e.Origin})\n"))
            + string.Concat(Warnings.Select(w => $"warning: {w}\n"));
    }
}
