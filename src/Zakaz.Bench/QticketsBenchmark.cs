using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sync;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage.ChDb;
using Zakaz.Storage.Migrations;

namespace Zakaz.Bench;

/// <summary>
/// How close a Qtickets backfill comes to the API's floor, pages × latency / concurrency, then an incremental run
/// over the last 30 minutes. Each load runs in a fresh process, so its peak memory is the loader's alone.
/// </summary>
public sealed class QticketsBenchmark(int orders, TimeSpan latency, ILogger<QticketsBenchmark> log)
{
    public const double EfficiencyGoal = 0.8;
    public const double IncrementalSecondsGoal = 3;
    public const double PeakRssMegabytesGoal = 400;

    // Sales made while the loader was away; their times follow the newest order, so they fall in the window.
    private const int NewOrders = 20;
    private static readonly int[] Concurrencies = [4, 8];
    private static readonly TimeSpan IncrementalWindow = TimeSpan.FromMinutes(30);

    /// <param name="loadInFreshProcess">Runs <see cref="LoadAsync"/> in a new process and returns its figures.</param>
    public async Task<QticketsBenchmarkResult> RunAsync(Func<QticketsLoadTarget, Task<QticketsLoadResult>> loadInFreshProcess,
        CancellationToken cancellationToken = default)
    {
        log.LogInformation("generating {Orders:N0} orders in the Qtickets sandbox ({LatencyMs:0} ms per request) ...", orders, latency.TotalMilliseconds);
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = orders, Latency = latency }, cancellationToken);
        var runs = new List<QticketsConcurrencyResult>();
        foreach (var concurrency in Concurrencies)
        {
            log.LogInformation("backfill at concurrency {Concurrency} in a fresh process ...", concurrency);
            var load = await loadInFreshProcess(new QticketsLoadTarget(sandbox.BaseUrl, sandbox.Token, sandbox.OrdersUrl, concurrency));
            var ideal = load.Pages * latency.TotalSeconds / concurrency;
            runs.Add(new QticketsConcurrencyResult(concurrency, load.Orders, load.Pages, Math.Round(load.WallSeconds, 2),
                Math.Round(load.Orders / load.WallSeconds), Math.Round(load.Pages / load.WallSeconds, 1), Math.Round(ideal, 2),
                Math.Round(ideal / load.WallSeconds, 3), load.PeakRssMegabytes, Math.Round(load.IncrementalSeconds, 2), load.IncrementalOrders));
        }
        return new QticketsBenchmarkResult(orders, latency.TotalMilliseconds, runs,
            new QticketsGoals(EfficiencyGoal, IncrementalSecondsGoal, PeakRssMegabytesGoal));
    }

    /// <summary>Backfills the sandbox into a new store, records peak memory, then syncs a few new sales incrementally.</summary>
    public static async Task<QticketsLoadResult> LoadAsync(QticketsLoadTarget target, ILogger log, CancellationToken cancellationToken = default)
    {
        using var directory = new ScratchDirectory("zakaz-bench-qtickets-");
        await using var store = ChDbStore.Open(directory.Path);
        await new MigrationRunner(store, MigrationSet.Embedded()).MigrateAsync(cancellationToken: cancellationToken);
        var options = new QticketsOptions { BaseUrl = target.BaseUrl, Token = target.Token };
        using var client = QticketsSource.Create(new QticketsClientOptions { BaseUrl = target.BaseUrl, Token = target.Token, MaxConcurrency = target.Concurrency });
        var sync = new QticketsSync(store, client, options, new ProgressLog<SyncProgress>(log));

        var stopwatch = Stopwatch.StartNew();
        var backfill = await sync.RunAsync(new QticketsSyncRequest { Since = DateTimeOffset.UnixEpoch, Concurrency = target.Concurrency }, cancellationToken);
        var wall = stopwatch.Elapsed.TotalSeconds;
        var peak = Math.Round(ProcessMemory.PeakResidentMegabytes(), 1);

        using (var http = new HttpClient())
        {
            using var added = await http.PostAsync(target.AddOrdersUrl,
                new StringContent($$"""{"count":{{NewOrders}}}""", Encoding.UTF8, "application/json"), cancellationToken);
            added.EnsureSuccessStatusCode();
        }
        stopwatch.Restart();
        var incremental = await sync.RunAsync(new QticketsSyncRequest
        {
            Since = DateTimeOffset.UtcNow - IncrementalWindow,
            Concurrency = target.Concurrency,
            // The frequent order sync; inventory is its own, hourly run (`--streams inventory`).
            Streams = QticketsStreams.Orders,
        }, cancellationToken);
        var incrementalSeconds = stopwatch.Elapsed.TotalSeconds;

        return new QticketsLoadResult(target.Concurrency, backfill.Rows[QticketsTables.Orders], backfill.OrderPages, wall, peak,
            incrementalSeconds, incremental.Rows[QticketsTables.Orders]);
    }
}

/// <summary>Where a load in another process reads from; the token goes by environment, never on a command line.</summary>
public sealed record QticketsLoadTarget(Uri BaseUrl, string Token, Uri AddOrdersUrl, int Concurrency);

public sealed record QticketsLoadResult(
    int Concurrency, long Orders, int Pages,
    [property: JsonPropertyName("wall_s")] double WallSeconds,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMegabytes,
    [property: JsonPropertyName("incremental_s")] double IncrementalSeconds,
    long IncrementalOrders);

public sealed record QticketsConcurrencyResult(
    int Concurrency, long Orders, int Pages,
    [property: JsonPropertyName("wall_s")] double WallSeconds,
    [property: JsonPropertyName("orders_per_s")] double OrdersPerSecond,
    [property: JsonPropertyName("pages_per_s")] double PagesPerSecond,
    [property: JsonPropertyName("ideal_s")] double IdealSeconds,
    double Efficiency,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMegabytes,
    [property: JsonPropertyName("incremental_s")] double IncrementalSeconds,
    long IncrementalOrders);

public sealed record QticketsGoals(double MinEfficiency, [property: JsonPropertyName("max_incremental_s")] double MaxIncrementalSeconds,
    [property: JsonPropertyName("max_peak_rss_mb")] double MaxPeakRssMegabytes);

public sealed record QticketsBenchmarkResult(int Orders, [property: JsonPropertyName("latency_ms")] double LatencyMilliseconds,
    IReadOnlyList<QticketsConcurrencyResult> Runs, QticketsGoals Goals);
