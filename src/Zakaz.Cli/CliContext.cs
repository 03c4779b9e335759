using System.CommandLine;
using Microsoft.Extensions.Logging;
using Zakaz.Cli.CommandLine;
using Zakaz.Configuration;
using Zakaz.Storage;
using Zakaz.Web;

namespace Zakaz.Cli;

/// <summary>What every command gets: its parsed command line, the loaded configuration and the console.</summary>
internal sealed class CliContext(ParseResult parse, LoadedConfiguration<ZakazOptions> configuration, ILoggerFactory loggers, TextWriter output, TextWriter error)
{
    public LoadedConfiguration<ZakazOptions> Configuration { get; } = configuration;

    public ZakazOptions Options => Configuration.Options;

    /// <summary>Where the command's log entries go (stderr, as lines or JSON); what it prints for people goes to <see cref="Error"/> and <see cref="Out"/>.</summary>
    public ILoggerFactory Loggers { get; } = loggers;

    public TextWriter Out { get; } = output;

    public TextWriter Error { get; } = error;

    public TimeProvider Time { get; } = TimeProvider.System;

    public bool Verbose => parse.GetValue(ZakazCli.Verbose);

    public T Get<T>(Option<T> option) => parse.GetValue(option)!;

    public T Get<T>(Argument<T> argument) => parse.GetValue(argument)!;

    /// <summary>The dates of a --from/--to pair; from after to is a usage error.</summary>
    public (DateOnly? From, DateOnly? To) Dates(Option<DateOnly?> from, Option<DateOnly?> to)
    {
        var (first, last) = (Get(from), Get(to));
        return first > last ? throw new UsageException($"{from.Name} {first:yyyy-MM-dd} is after {to.Name} {last:yyyy-MM-dd}.") : (first, last);
    }

    /// <summary>Whether the option was on the command line (a default does not count).</summary>
    public bool Given(Option option) => parse.GetResult(option) is { Implicit: false };

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
        return ClickHouseStores.Open(Options.Storage, new WarningLogger(this));
    }

    /// <summary>The embedded store whatever else is configured (demo and benchmarks run on it), unless <c>zakaz serve</c> holds it.</summary>
    public IClickHouseStore OpenEmbeddedStore()
    {
        ServeLock.ThrowIfHeld(Options.Storage.DataDirectory);
        return Storage.ChDb.ChDbStore.Open(Options.Storage.DataDirectory, Options.Storage.ChDbLibrary, logger: new WarningLogger(this));
    }

    /// <summary>One line on stderr about something fixed or ignored that the operator should know.</summary>
    public void Warn(string message) => Error.WriteLine($"zakaz: warning: {message}");
}
