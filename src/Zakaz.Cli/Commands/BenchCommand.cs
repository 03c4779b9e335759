using System.Collections.Immutable;
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

    /// <summary>
    /// With --concurrency, the child: one backfill and incremental run of the sandbox named by QTICKETS_BASE_URL,
    /// printed as JSON. Without it, the parent: starts the sandbox and runs one child per concurrency.
    /// </summary>
    public static async Task<int> DashboardAsync(CliContext context)
    {
        var orders = context.Invocation.Int64("orders", 1_000_000);
        var requests = checked((int)context.Invocation.Int64("requests", 100));
        var result = await new DashboardBenchmark(orders, requests, line => context.Error.WriteLine("bench: " + line)).RunAsync();
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result));
        return ZakazCli.Ok;
    }

    public static async Task<int> QticketsAsync(CliContext context)
    {
        var error = context.Error;
        Action<string> log = line => error.WriteLine("bench: " + line);
        if (context.Invocation.Value("concurrency") is not null)
        {
            var qtickets = context.Options.Qtickets;
            var target = new QticketsLoadTarget(qtickets.BaseUrl, qtickets.Token ?? "", new Uri(context.Invocation.Value("add-orders-url") ?? ""),
                checked((int)context.Invocation.Int64("concurrency", 4)));
            var load = await QticketsBenchmark.LoadAsync(target, log);
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(load));
            return ZakazCli.Ok;
        }
        var orders = checked((int)context.Invocation.Int64("orders", 126_000));
        var latency = TimeSpan.FromMilliseconds(context.Invocation.Int64("latency-ms", 150));
        var result = await new QticketsBenchmark(orders, latency, log).RunAsync(async target =>
        {
            var output = await RunChildAsync(
                ["bench", "qtickets", "--concurrency", target.Concurrency.ToString(CultureInfo.InvariantCulture), "--add-orders-url", target.AddOrdersUrl.ToString()],
                new Dictionary<string, string> { ["QTICKETS_BASE_URL"] = target.BaseUrl.ToString(), ["QTICKETS_TOKEN"] = target.Token });
            return JsonSerializer.Deserialize<QticketsLoadResult>(output)
                ?? throw new InvalidOperationException("The backfill process printed no figures.");
        });
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result));
        return ZakazCli.Ok;
    }

    /// <summary>Runs this same command with --memory-only in a new process.</summary>
    private static async Task<double> MeasureInChildAsync(long rssRows)
    {
        var output = await RunChildAsync(["bench", "insert", "--memory-only", "--rss-rows", rssRows.ToString(CultureInfo.InvariantCulture)]);
        return double.TryParse(output.Trim(), CultureInfo.InvariantCulture, out var peak)
            ? peak
            : throw new InvalidOperationException($"The memory measurement process printed '{output.Trim()}' instead of a figure.");
    }

    /// <summary>
    /// Runs zakaz with <paramref name="arguments"/> in a new process and returns its stdout; its progress goes
    /// straight to our stderr. A fresh process is how a benchmark measures one load's whole peak memory, and
    /// how it gets a chDB store of its own (chDB binds one data directory per process).
    /// </summary>
    private static async Task<string> RunChildAsync(string[] arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        var entry = Environment.GetCommandLineArgs()[0];
        if (entry.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(entry);
        }
        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment ?? ImmutableDictionary<string, string>.Empty)
        {
            start.Environment[name] = value;
        }
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start the benchmark's child process.");
        var output = await child.StandardOutput.ReadToEndAsync();
        await child.WaitForExitAsync();
        return child.ExitCode == 0
            ? output
            : throw new InvalidOperationException($"The benchmark's child process ({string.Join(' ', arguments)}) failed (exit code {child.ExitCode}).");
    }
}
