using System.Diagnostics;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using Zakaz.Sandbox.ClickHouseServer;
using Zakaz.Storage;
using Zakaz.Storage.ChDb;
using Zakaz.Storage.Http;
using Zakaz.Storage.RowBinary;

namespace Zakaz.Bench;

/// <summary>
/// How fast typed rows go into each engine, as ratios against baselines of the same run: chDB inserting
/// the same rows by itself, and clickhouse-client loading them from a RowBinary file into the same server.
/// </summary>
public sealed class InsertBenchmark(long rows, long rssRows, ILogger<InsertBenchmark> log)
{
    private const int Repeats = 3;
    private static readonly string[] Cities = ["москва", "санкт-петербург", "екатеринбург", "новосибирск", "казань", "томск", "самара", "пермь"];
    private static readonly DateTimeOffset Start = new(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(3));

    public sealed record OrderRow(ulong Id, string City, decimal Price, DateTimeOffset At, string Name, string Note);

    public static RowSchema<OrderRow> Schema { get; } = new RowSchema<OrderRow>()
        .Column("id", "UInt64", r => r.Id)
        .Column("city", "LowCardinality(String)", r => r.City)
        .Column("price", "Decimal(18, 2)", r => r.Price)
        .Column("at", "DateTime('Europe/Moscow')", r => r.At)
        .Column("name", "String", r => r.Name)
        .Column("note", "String", r => r.Note);

    public static IEnumerable<OrderRow> Generate(long count)
    {
        for (long i = 0; i < count; i++)
        {
            yield return new OrderRow((ulong)i, Cities[i % Cities.Length], i % 10_000 / 100m, Start.AddSeconds(i), "order " + i, i % 7 == 0 ? "" : "utm_source=vk");
        }
    }

    /// <param name="measurePeakInFreshProcess">Runs <see cref="MeasureStreamingPeakAsync"/> in a new process, untouched by this one's phases.</param>
    public async Task<InsertBenchmarkResult> RunAsync(Func<long, Task<double>> measurePeakInFreshProcess, CancellationToken cancellationToken = default)
    {
        var data = Generate(rows).ToArray();
        using var directory = new ScratchDirectory("zakaz-bench-");
        await using var chdb = ChDbStore.Open(Path.Combine(directory.Path, "chdb"));
        var (ours, engine) = await MeasureChDbAsync(chdb, data, cancellationToken);
        var (http, native) = await MeasureServerAsync(data, directory.Path, cancellationToken);
        data = [];
        log.LogInformation("streaming {RssRows:N0} rows into chDB in a fresh process to measure its peak memory ...", rssRows);
        var peak = await measurePeakInFreshProcess(rssRows);
        return new InsertBenchmarkResult(rows, ours, engine, Math.Round(ours / engine, 3), http, native, Math.Round(http / native, 3), rssRows, peak);
    }

    private async Task<(double Ours, double Engine)> MeasureChDbAsync(ChDbStore store, OrderRow[] data, CancellationToken cancellationToken)
    {
        await store.ExecuteAsync("CREATE DATABASE IF NOT EXISTS bench", cancellationToken: cancellationToken);
        var ours = await BestOfAsync("chDB typed insert", store, table => Timed(() =>
            store.InsertAsync(table, Schema, data, cancellationToken: cancellationToken)));
        var engine = await BestOfAsync("chDB INSERT ... SELECT", store, table => Timed(() =>
            store.ExecuteAsync($"""
                INSERT INTO {table}
                SELECT number, {CityArray}[number % {Cities.Length} + 1], toDecimal64(number % 10000, 0) / 100,
                       toDateTime('2025-01-01 00:00:00', 'Europe/Moscow') + number, concat('order ', toString(number)),
                       if(number % 7 = 0, '', 'utm_source=vk')
                FROM numbers({rows})
                """, cancellationToken: cancellationToken)));
        return (ours, engine);
    }

    private async Task<(double Ours, double Native)> MeasureServerAsync(OrderRow[] data, string directory, CancellationToken cancellationToken)
    {
        log.LogInformation("starting a local ClickHouse server for the HTTP figures ...");
        await using var server = await LocalClickHouseServer.StartAsync(cancellationToken: cancellationToken);
        await using var store = new HttpClickHouseStore(new StorageOptions { Url = server.Url.ToString(), User = server.User, Password = server.Password });
        await store.ExecuteAsync("CREATE DATABASE IF NOT EXISTS bench", cancellationToken: cancellationToken);
        var file = Path.Combine(directory, "orders.rowbinary");
        await using (var stream = File.Create(file))
        {
            using var writer = new RowBinaryWriter();
            foreach (var row in data)
            {
                Schema.Write(writer, row);
                if (writer.Length > 1 << 20)
                {
                    stream.Write(writer.WrittenSpan);
                    writer.Reset();
                }
            }
            stream.Write(writer.WrittenSpan);
        }
        var client = ClickHouseClientTool.Find();
        // The client's own start-up is not loading work; taking it out keeps the baseline honest.
        var startup = (await client.RunAsync(server, "SELECT 1", null, cancellationToken)).Elapsed;
        var ours = await BestOfAsync("HTTP typed insert", store, table => Timed(() =>
            store.InsertAsync(table, Schema, data, cancellationToken: cancellationToken)));
        var native = await BestOfAsync("clickhouse-client RowBinary file", store, async table =>
            await client.InsertFileAsync(server, $"INSERT INTO {table} FORMAT RowBinary", file, cancellationToken) - startup);
        return (ours, native);
    }

    /// <summary>This process's peak memory, engine included, streaming rows into chDB: it shows rows are never held all at once.</summary>
    public static async Task<double> MeasureStreamingPeakAsync(long count, IProgress<long> progress, CancellationToken cancellationToken = default)
    {
        using var directory = new ScratchDirectory("zakaz-bench-stream-");
        await using var store = ChDbStore.Open(directory.Path);
        await store.ExecuteAsync("CREATE DATABASE IF NOT EXISTS bench", cancellationToken: cancellationToken);
        await store.ExecuteAsync($"CREATE TABLE bench.stream ({Columns}) ENGINE = MergeTree ORDER BY id", cancellationToken: cancellationToken);
        var written = await store.InsertAsync("bench.stream", Schema, Generate(count), new InsertOptions { Progress = progress.Report }, cancellationToken);
        return written == count
            ? Math.Round(ProcessMemory.PeakResidentMegabytes(), 1)
            : throw new InvalidOperationException($"The streamed insert wrote {written} rows instead of {count}.");
    }

    /// <summary>The best rate of several loads into a fresh table, the least disturbed by the machine.</summary>
    private async Task<double> BestOfAsync(string name, IClickHouseStore store, Func<string, Task<TimeSpan>> load)
    {
        var best = 0.0;
        for (var run = 1; run <= Repeats; run++)
        {
            var table = $"bench.t_{Guid.NewGuid():N}"[..20];
            // 18.x servers need LowCardinality switched on; newer engines ignore the obsolete setting.
            await store.ExecuteAsync($"CREATE TABLE {table} ({Columns}) ENGINE = MergeTree ORDER BY id",
                options: new QueryOptions { Settings = new Dictionary<string, string> { ["allow_experimental_low_cardinality_type"] = "1" } });
            var seconds = (await load(table)).TotalSeconds;
            var count = (await store.QueryAsync($"SELECT count() FROM {table}")).Scalar<ulong>();
            if ((long)count != rows)
            {
                throw new InvalidOperationException($"{name} wrote {count} rows instead of {rows}.");
            }
            await store.ExecuteAsync($"DROP TABLE {table}");
            var rate = rows / seconds;
            log.LogInformation("{Name}, run {Run}/{Repeats}: {Rate:N0} rows/s", name, run, Repeats, rate);
            best = Math.Max(best, rate);
        }
        return Math.Round(best);
    }

    private static async Task<TimeSpan> Timed(Func<Task> work)
    {
        var stopwatch = Stopwatch.StartNew();
        await work();
        return stopwatch.Elapsed;
    }

    private static string Columns => string.Join(", ", Schema.Columns.Select(c => $"{c.Name} {c.Type}"));

    private static string CityArray => "[" + string.Join(", ", Cities.Select(c => $"'{c}'")) + "]";
}

public sealed record InsertBenchmarkResult(
    long Rows,
    [property: JsonPropertyName("chdb_rows_per_s")] double ChDbRowsPerSecond,
    [property: JsonPropertyName("chdb_engine_rows_per_s")] double ChDbEngineRowsPerSecond,
    [property: JsonPropertyName("chdb_ratio")] double ChDbRatio,
    [property: JsonPropertyName("http_rows_per_s")] double HttpRowsPerSecond,
    [property: JsonPropertyName("http_native_client_rows_per_s")] double HttpNativeClientRowsPerSecond,
    double HttpRatio, long RssRows,
    [property: JsonPropertyName("peak_rss_mb")] double PeakRssMegabytes);
