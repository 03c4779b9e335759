using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Zakaz.Web;

namespace Zakaz.Cli.Logging;

/// <summary>
/// One line per entry, <c>info Zakaz.Bench.InsertBenchmark: chDB, run 1/3: 812,000 rows/s</c>, an exception folded
/// onto the same line: what a terminal, a CI log and journald (one record per line) all read well. The built-in
/// simple formatter's single-line mode keeps event ids and brackets people do not need.
/// </summary>
internal sealed class LineConsoleFormatter(IOptionsMonitor<ConsoleFormatterOptions> options) : ConsoleFormatter(Name)
{
    public new const string Name = "line";

    public override void Write<TState>(in LogEntry<TState> logEntry, IExternalScopeProvider? scopeProvider, TextWriter textWriter)
    {
        var message = logEntry.Formatter(logEntry.State, logEntry.Exception);
        if (string.IsNullOrEmpty(message) && logEntry.Exception is null)
        {
            return;
        }
        if (options.CurrentValue.TimestampFormat is { } format)
        {
            var now = options.CurrentValue.UseUtcTimestamp ? TimeProvider.System.GetUtcNow() : TimeProvider.System.GetLocalNow();
            textWriter.Write(now.ToString(format, CultureInfo.InvariantCulture));
        }
        textWriter.Write(Level(logEntry.LogLevel));
        textWriter.Write(' ');
        textWriter.Write(logEntry.Category);
        textWriter.Write(": ");
        textWriter.Write(message.ReplaceLineEndings(" "));
        if (logEntry.Exception is { } exception)
        {
            textWriter.Write(" | ");
            textWriter.Write(exception.ToString().ReplaceLineEndings(" | "));
        }
        textWriter.WriteLine();
    }

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => level.ToString(),
    };
}

/// <summary>The logging of a CLI command: the console on stderr, as one line per entry or as JSON (<c>ZAKAZ_LOG_FORMAT=json</c>).</summary>
internal static class CliLogging
{
    public const string Json = "json";

    public static ILoggerFactory Create(ZakazOptions options) => LoggerFactory.Create(logging =>
        AddConsole(logging.SetMinimumLevel(options.Verbose ? LogLevel.Debug : LogLevel.Information), options));

    /// <summary>The console on stderr in the configured format; levels stay the caller's (the web host keeps its own).</summary>
    public static ILoggingBuilder AddConsole(ILoggingBuilder logging, ZakazOptions options) => logging
        .AddConsole(console =>
        {
            console.FormatterName = options.LogFormat == Json ? ConsoleFormatterNames.Json : LineConsoleFormatter.Name;
            // stdout carries what a command prints for scripts; every log line goes to stderr.
            console.LogToStandardErrorThreshold = LogLevel.Trace;
        })
        .AddConsoleFormatter<LineConsoleFormatter, ConsoleFormatterOptions>();
}
