using Zakaz.Cli.CommandLine;
using Zakaz.Configuration;
using Zakaz.Storage;

namespace Zakaz.Cli;

/// <summary>What every command gets: its invocation, the loaded configuration and the console.</summary>
internal sealed class CliContext(Invocation invocation, LoadedConfiguration configuration, TextWriter output, TextWriter error)
{
    public Invocation Invocation { get; } = invocation;

    public LoadedConfiguration Configuration { get; } = configuration;

    public ZakazOptions Options => Configuration.Options;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>
    /// The configured store: a server when one is configured, else the embedded data directory,
    /// unless a <c>zakaz serve</c> process holds it (<see cref="ServeLock"/>).
    /// </summary>
    public IClickHouseStore OpenStore()
    {
        if (!Options.Storage.UsesServer)
        {
            ServeLock.ThrowIfHeld(Options.Storage.DataDirectory);
        }
        return ClickHouseStores.Open(Options.Storage, new WarningLogger(Warn));
    }

    /// <summary>The embedded store whatever else is configured (demo and benchmarks run on it), unless <c>zakaz serve</c> holds it.</summary>
    public IClickHouseStore OpenEmbeddedStore()
    {
        ServeLock.ThrowIfHeld(Options.Storage.DataDirectory);
        return Storage.ChDb.ChDbStore.Open(Options.Storage.DataDirectory, Options.Storage.ChDbLibrary, logger: new WarningLogger(Warn));
    }

    /// <summary>One line on stderr about something fixed or ignored that the operator should know.</summary>
    public void Warn(string message) => Error.WriteLine($"zakaz: warning: {message}");
}
