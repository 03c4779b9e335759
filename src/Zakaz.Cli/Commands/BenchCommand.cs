using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Zakaz.Bench;

namespace Zakaz.Cli.Commands;

internal static class BenchCommand
{
    public static async Task<int> InsertAsync(CliContext context)
    {
        var rows = context.Invocation.Int64("rows", 1_000_000);
        var rssRows = context.Invocation.Int64("rss-rows", 10_000_000);
        var error = context.Error;
        if (context.Invocation.Flag("memory-only"))
        {
            var peak = await InsertBenchmark.MeasureStreamingPeakAsync(rssRows, ConsoleProgress.Start(error, "chDB streamed insert", rssRows));
            await context.Out.WriteLineAsync(peak.ToString(CultureInfo.InvariantCulture));
            return ZakazCli.Ok;
        }
        var benchmark = new InsertBenchmark(rows, rssRows, line => error.WriteLine("bench: " + line));
        var result = await benchmark.RunAsync(MeasureInChildAsync);
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result));
        return ZakazCli.Ok;
    }

    /// <summary>Runs this same command with --memory-only in a new process; its progress goes straight to our stderr.</summary>
    private static async Task<double> MeasureInChildAsync(long rssRows)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        var entry = Environment.GetCommandLineArgs()[0];
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(entry);
        }
        foreach (var arg in new[] { "bench", "insert", "--memory-only", "--rss-rows", rssRows.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(arg);
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the memory measurement process.");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return child.ExitCode == 0 && double.TryParse(output.Trim(), CultureInfo.InvariantCulture, out var peak)
            ? peak
            : throw new InvalidOperationException($"The memory measurement process failed (exit code {child.ExitCode}).");
    }
}
