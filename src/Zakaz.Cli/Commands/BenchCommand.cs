using System.Collections.Immutable;
using System.CommandLine;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Zakaz.Bench;
using Zakaz.Cli.CommandLine;

namespace Zakaz.Cli.Commands;

internal static class BenchCommand
{
    internal static readonly Option<long> Rows = CliOptions.WholeNumber("--rows", "N", "Rows for the throughput runs (default 1,000,000)", 1_000_000);
    internal static readonly Option<long> RssRows = CliOptions.WholeNumber("--rss-rows", "N", "Rows streamed while peak memory is measured (default 10,000,000)", 10_000_000);
    internal static readonly Option<bool> MemoryOnly = CliOptions.Flag("--memory-only", "Only stream --rss-rows rows into chDB and print this process's peak memory in MB");
    internal static readonly Option<long> DashboardOrders = CliOptions.WholeNumber("--orders", "N", "Orders over the year (default 1,000,000)", 1_000_000);
    internal static readonly Option<long> Requests = CliOptions.WholeNumber("--requests", "N", "Timed loads of each page after the warm-up (default 100)", 100);
    internal static readonly Option<long> QticketsOrders = CliOptions.WholeNumber("--orders", "N", "Orders the sandbox generates (default 126,000)", 126_000);
    internal static readonly Option<long> LatencyMs = CliOptions.WholeNumber("--latency-ms", "MS", "Latency of every sandbox request (default 150)", 150);
    internal static readonly Option<long> Concurrency = CliOptions.WholeNumber("--concurrency", "N", "Only run one load with N requests in flight against the sandbox at QTICKETS_BASE_URL and print its figures", 4);
    internal static readonly Option<string?> AddOrdersUrl = CliOptions.Text("--add-orders-url", "URL", "With --concurrency: the sandbox's control URL that adds orders before the incremental run");

    // Printed field names are snake_case; records name only those the policy cannot derive (wall_s, chdb_ratio).
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static async Task<int> InsertAsync(CliContext context)
    {
        var rows = context.Get(Rows);
        var rssRows = context.Get(RssRows);
        var error = context.Error;
        if (context.Get(MemoryOnly))
        {
            var peak = await InsertBenchmark.MeasureStreamingPeakAsync(rssRows, new ConsoleProgress(error, "chDB streamed insert", rssRows));
            await context.Out.WriteLineAsync(peak.ToString(CultureInfo.InvariantCulture));
            return ZakazCli.Ok;
        }
        var benchmark = new InsertBenchmark(rows, rssRows, context.Loggers.CreateLogger<InsertBenchmark>());
        var result = await benchmark.RunAsync(MeasureInChildAsync);
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
        return ZakazCli.Ok;
    }

    public static async Task<int> DashboardAsync(CliContext context)
    {
        var orders = context.Get(DashboardOrders);
        var requests = checked((int)context.Get(Requests));
        var result = await new DashboardBenchmark(orders, requests, context.Loggers.CreateLogger<DashboardBenchmark>()).RunAsync();
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
        return ZakazCli.Ok;
    }

    /// <summary><c>zakaz bench backup</c>: backup, restore and verify of the <c>bench dashboard</c> store, as JSON.</summary>
    public static async Task<int> BackupAsync(CliContext context)
    {
        var orders = context.Get(DashboardOrders);
        var result = await new BackupBenchmark(orders, async arguments => await RunChildAsync(arguments), context.Loggers.CreateLogger<DashboardBenchmark>()).RunAsync();
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
        return ZakazCli.Ok;
    }

    /// <summary>
    /// With --concurrency, the child: one backfill and incremental run of the sandbox named by QTICKETS_BASE_URL,
    /// printed as JSON. Without it, the parent: starts the sandbox and runs one child per concurrency.
    /// </summary>
    public static async Task<int> QticketsAsync(CliContext context)
    {
        var log = context.Loggers.CreateLogger<QticketsBenchmark>();
        if (context.Given(Concurrency))
        {
            var qtickets = context.Options.Qtickets;
            var target = new QticketsLoadTarget(qtickets.BaseUrl, qtickets.Token ?? "", new Uri(context.Get(AddOrdersUrl) ?? ""),
                checked((int)context.Get(Concurrency)));
            var load = await QticketsBenchmark.LoadAsync(target, log);
            await context.Out.WriteLineAsync(JsonSerializer.Serialize(load, Json));
            return ZakazCli.Ok;
        }
        var orders = checked((int)context.Get(QticketsOrders));
        var latency = TimeSpan.FromMilliseconds(context.Get(LatencyMs));
        var result = await new QticketsBenchmark(orders, latency, log).RunAsync(async target =>
        {
            var output = await RunChildAsync(
                ["bench", "qtickets", "--concurrency", target.Concurrency.ToString(CultureInfo.InvariantCulture), "--add-orders-url", target.AddOrdersUrl.ToString()],
                new Dictionary<string, string> { ["QTICKETS_BASE_URL"] = target.BaseUrl.ToString(), ["QTICKETS_TOKEN"] = target.Token });
            return JsonSerializer.Deserialize<QticketsLoadResult>(output, Json)
                ?? throw new InvalidOperationException("The backfill process printed no figures.");
        });
        await context.Out.WriteLineAsync(JsonSerializer.Serialize(result, Json));
        return ZakazCli.Ok;
    }

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
        var self = ZakazCli.Self();
        var start = new ProcessStartInfo(self[0]) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var entry in self.Skip(1))
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
