using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using Zakaz.Cli.Logging;

namespace Zakaz.Cli.Tests;

/// <summary>Log entries as one line each, and progress as plain lines when stderr is not a terminal.</summary>
public class LoggingTests
{
    [Fact]
    public void An_entry_is_one_line_with_its_level_category_and_message_and_its_exception_folded_in()
    {
        var formatter = new LineConsoleFormatter(new FixedOptions(new ConsoleFormatterOptions()));
        using var text = new StringWriter();
        var failure = new InvalidOperationException("first line\nsecond line");

        formatter.Write(new LogEntry<string>(LogLevel.Warning, "Zakaz.Bench.InsertBenchmark", default, "run 1/3:\n812 rows/s", failure, (s, _) => s), null, text);

        var line = text.ToString();
        Assert.StartsWith("warn Zakaz.Bench.InsertBenchmark: run 1/3: 812 rows/s | System.InvalidOperationException: first line | second line", line, StringComparison.Ordinal);
        Assert.Single(line.Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_timestamp_format_puts_the_time_first()
    {
        var formatter = new LineConsoleFormatter(new FixedOptions(new ConsoleFormatterOptions { TimestampFormat = "yyyy ", UseUtcTimestamp = true }));
        using var text = new StringWriter();

        formatter.Write(new LogEntry<string>(LogLevel.Information, "c", default, "m", null, (s, _) => s), null, text);

        Assert.Equal($"{DateTimeOffset.UtcNow.Year} info c: m{Environment.NewLine}", text.ToString());
    }

    [Fact]
    public void Progress_off_a_terminal_is_one_plain_line_per_tenth()
    {
        using var error = new StringWriter();
        IProgress<long> progress = new ConsoleProgress(error, "chDB streamed insert", 1_000);

        foreach (var done in new long[] { 0, 50, 100, 150, 950, 1_000 })
        {
            progress.Report(done);
        }

        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["chDB streamed insert: 0%", "chDB streamed insert: 10%", "chDB streamed insert: 95%", "chDB streamed insert: 100%"],
            lines.Select(l => l[..l.IndexOf(" (", StringComparison.Ordinal)].Replace(" %", "%", StringComparison.Ordinal)));
        Assert.Contains("(1,000/1,000, ", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_log_format_other_than_line_or_json_is_refused_naming_the_variable()
    {
        var run = await ZakazProcess.RunAsync(["--data", ZakazProcess.NewDataDirectory(), "db", "status"], new Dictionary<string, string?> { ["ZAKAZ_LOG_FORMAT"] = "xml" });

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("zakaz: error: ZAKAZ_LOG_FORMAT='xml' must be line or json (from environment)", Assert.Single(run.ErrorLines));
    }

    private sealed class FixedOptions(ConsoleFormatterOptions value) : IOptionsMonitor<ConsoleFormatterOptions>
    {
        public ConsoleFormatterOptions CurrentValue => value;

        public ConsoleFormatterOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<ConsoleFormatterOptions, string?> listener) => null;
    }
}
