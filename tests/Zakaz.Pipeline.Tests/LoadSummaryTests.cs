using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Runs;
using Zakaz.Testing;
using static Zakaz.Pipeline.Tests.Staging;

namespace Zakaz.Pipeline.Tests;

/// <summary>
/// The small summaries the loads keep (0018): freshness, the date filter's bounds and the data version, each equal
/// to what the scans they replace gave on the same data.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class LoadSummaryTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    // bi.v_ops_freshness as 0016 defined it: every job run and every staged row read for one max per source.
    private const string ScannedFreshness = """
        SELECT f.source, f.last_loaded_at, f.last_data_ts,
               if(f.last_loaded_at IS NULL, NULL, dateDiff('minute', f.last_loaded_at, now('UTC'))),
               multiIf(f.last_status = 'error' OR f.last_loaded_at IS NULL, 'red',
                       dateDiff('minute', f.last_loaded_at, now('UTC')) <= 120, 'green',
                       dateDiff('minute', f.last_loaded_at, now('UTC')) <= 360, 'amber', 'red')
        FROM
        (
            SELECT source, maxOrNull(loaded_at) AS last_loaded_at, maxOrNull(data_ts) AS last_data_ts,
                   argMaxIf(run_status, run_started_at, run_started_at IS NOT NULL AND run_status != 'running') AS last_status
            FROM
            (
                SELECT arrayJoin(['qtickets', 'vk_ads', 'yandex_direct']) AS source,
                       CAST(NULL AS Nullable(DateTime('UTC'))) AS loaded_at, CAST(NULL AS Nullable(DateTime('UTC'))) AS data_ts,
                       CAST(NULL AS Nullable(DateTime('UTC'))) AS run_started_at, '' AS run_status
                UNION ALL
                SELECT splitByChar('.', toString(job))[1] AS job_source, if(status = 'ok', finished_at, NULL), NULL, started_at, toString(status)
                FROM zakaz.meta_job_runs FINAL
                WHERE job_source IN ('qtickets', 'vk_ads', 'yandex_direct')
                UNION ALL
                SELECT 'qtickets', NULL, toTimeZone(maxOrNull(updated_at), 'UTC'), NULL, '' FROM zakaz.stg_qtickets_api_orders_raw FINAL
                UNION ALL
                SELECT 'vk_ads', NULL, toTimeZone(toDateTime(maxOrNull(stat_date), 'UTC'), 'UTC'), NULL, '' FROM zakaz.stg_vk_ads_daily FINAL
                UNION ALL
                SELECT 'yandex_direct', NULL, toTimeZone(toDateTime(maxOrNull(stat_date), 'UTC'), 'UTC'), NULL, '' FROM zakaz.stg_yandex_direct_daily FINAL
            )
            GROUP BY source
        ) AS f
        ORDER BY f.source
        """;

    private const string KeptFreshness = "SELECT source, last_loaded_at, last_data_ts, lag_minutes, status FROM bi.v_ops_freshness ORDER BY source";

    private const string ScannedDates = "SELECT minOrNull(d), maxOrNull(d) FROM bi.v_sales_daily";

    // bi.v_ad_utm_sources as 0016 defined it: every day of the ad mart read on each call.
    private const string ScannedUtmSources = """
        SELECT utm_source, argMax(platform, platform_spend), sum(platform_spend)
        FROM
        (
            SELECT lowerUTF8(trimBoth(toString(utm_source))) AS utm_source, toString(source) AS platform, sum(spend) AS platform_spend
            FROM zakaz.dm_ads_daily FINAL
            WHERE utm_source != ''
            GROUP BY utm_source, platform
        )
        GROUP BY utm_source
        ORDER BY utm_source
        """;

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Freshness_kept_as_runs_and_staging_are_written_equals_the_scan_of_them()
    {
        Assert.Equal("qtickets\t\\N\t\\N\t\\N\tred\nvk_ads\t\\N\t\\N\t\\N\tred\nyandex_direct\t\\N\t\\N\t\\N\tred", await Text(KeptFreshness));
        var staging = new Staging(schema.Store);
        var runs = new JobRunLog(schema.Store);
        await (await runs.StartAsync("qtickets.orders")).CompleteAsync(10);
        await (await runs.StartAsync("vk_ads.daily")).CompleteAsync(3);
        await runs.StartAsync("vk_ads.daily");
        await (await runs.StartAsync("facts.rebuild")).CompleteAsync(1);
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.meta_job_runs (job, run_id, started_at, finished_at, status, _ver)
            VALUES ('qtickets.inventory', 'i', now('UTC') + INTERVAL 5 SECOND, now('UTC') + INTERVAL 6 SECOND, 'error', 1),
                   ('yandex_direct.daily', 'a', now('UTC') - INTERVAL 300 MINUTE, now('UTC') - INTERVAL 299 MINUTE, 'ok', 1),
                   ('yandex_direct.daily', 'b', now('UTC') - INTERVAL 10 MINUTE, NULL, 'running', 1),
                   ('yandex_direct.daily', 'b', now('UTC') - INTERVAL 10 MINUTE, now('UTC') - INTERVAL 9 MINUTE, 'error', 2)
            """);
        await staging.Order(new Order(1, 7, Msk(2026, 3, 10)));
        await staging.Order(new Order(2, 7, Msk(2026, 3, 11, 18)));
        await staging.Order(new Order(1, 7, Msk(2026, 3, 10)) { CreatedAt = Msk(2026, 3, 12, 9, 30), Ver = 2 });
        await staging.AdStats(new AdStat(new DateOnly(2026, 3, 9), 5, "казань", 7, 100m, 1, 10), new AdStat(new DateOnly(2026, 3, 11), 5, "казань", 7, 100m, 1, 10));

        var kept = await Text(KeptFreshness);

        Assert.Equal(await Text(ScannedFreshness), kept);
        Assert.Equal(["qtickets\t2026-03-12 06:30:00\tred", "vk_ads\t2026-03-11 00:00:00\tgreen", "yandex_direct\t\\N\tred"],
            (await Text("SELECT source, last_data_ts, status FROM bi.v_ops_freshness ORDER BY source")).Split('\n'));
    }

    [Fact]
    public async Task A_run_a_dead_process_left_running_counts_once_the_next_run_marks_it_interrupted()
    {
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.meta_job_runs (job, run_id, started_at, finished_at, status, host, pid, _ver)
            VALUES ('qtickets.orders', 'a', now('UTC') - INTERVAL 20 MINUTE, now('UTC') - INTERVAL 19 MINUTE, 'ok', '', 0, 1),
                   ('qtickets.orders', 'b', now('UTC') - INTERVAL 10 MINUTE, NULL, 'running', '', 0, 1)
            """);
        Assert.Equal("qtickets\tgreen", await Text("SELECT source, status FROM bi.v_ops_freshness WHERE source = 'qtickets'"));

        Assert.Single(await new JobRunLog(schema.Store).MarkInterruptedAsync());

        Assert.Equal("qtickets\tred", await Text("SELECT source, status FROM bi.v_ops_freshness WHERE source = 'qtickets'"));
        Assert.Equal(await Text(ScannedFreshness), await Text(KeptFreshness));
    }

    [Fact]
    public async Task The_date_filter_bounds_written_by_the_fact_rebuild_equal_the_first_and_last_day_with_sales()
    {
        var staging = new Staging(schema.Store);
        await staging.Event(7, "Концерт", "казань");
        await staging.Sale(1, 7, Msk(2026, 3, 2), 1000m);
        await staging.Sale(2, 7, Msk(2026, 3, 20), 1500m);
        await new FactBuilder(schema.Store).RebuildAllAsync();
        Assert.Equal("2026-03-02\t2026-03-20", await Text("SELECT min_date, max_date FROM bi.v_filter_dates"));
        Assert.Equal(await Text(ScannedDates), await Text("SELECT min_date, max_date FROM bi.v_filter_dates"));

        // The last day's only order is deleted: that day reads zero, so the bounds end at the day before.
        await staging.Order(new Order(2, 7, Msk(2026, 3, 20)) { DeletedAt = Msk(2026, 3, 21), Ver = 2 });
        await new FactBuilder(schema.Store).RebuildAsync(new DateOnly(2026, 3, 20), new DateOnly(2026, 3, 20));

        Assert.Equal("2026-03-02\t2026-03-02", await Text("SELECT min_date, max_date FROM bi.v_filter_dates"));
        Assert.Equal(await Text(ScannedDates), await Text("SELECT min_date, max_date FROM bi.v_filter_dates"));
    }

    [Fact]
    public async Task The_data_version_moves_with_every_successful_load_and_fact_rebuild_but_not_with_a_failed_run_or_the_alerts()
    {
        const string Version = "SELECT version, loaded_at IS NOT NULL FROM bi.v_data_version";
        Assert.Equal("0\t0", await Text(Version));
        var runs = new JobRunLog(schema.Store);

        await (await runs.StartAsync("qtickets.orders")).CompleteAsync(10);
        var loaded = await Text(Version);
        await (await runs.StartAsync("vk_ads.daily")).FailAsync("VK Ads answered 403");
        await (await runs.StartAsync("alerts.evaluate")).CompleteAsync(0);
        var unchanged = await Text(Version);
        await new FactBuilder(schema.Store).RebuildAsync(new DateOnly(2026, 3, 1), new DateOnly(2026, 3, 1));
        var rebuilt = await Text(Version);

        Assert.EndsWith("\t1", loaded, StringComparison.Ordinal);
        Assert.Equal(loaded, unchanged);
        Assert.NotEqual(loaded, rebuilt);
    }

    [Fact]
    public async Task The_platform_of_each_utm_source_written_by_the_fact_rebuild_equals_the_scan_of_the_ad_mart()
    {
        const string Kept = "SELECT utm_source, source, spend FROM bi.v_ad_utm_sources ORDER BY utm_source";
        var staging = new Staging(schema.Store);
        var day = new DateOnly(2026, 3, 10);
        await staging.AdStats(
            new AdStat(day, 5, "казань", 7, 300m, 1, 10) { UtmSource = "tg" },
            new AdStat(day, 6, "казань", 7, 200m, 1, 10) { UtmSource = " VK" },
            new AdStat(day.AddDays(1), 6, "казань", 7, 100m, 1, 10) { UtmSource = "vk" });
        await new FactBuilder(schema.Store).RebuildAllAsync();
        Assert.Equal("tg\tvk_ads\t300\nvk\tvk_ads\t300", await Text(Kept));

        // The first banner's tag is corrected: its spend moves to vk, and tg keeps what the ad mart keeps for it.
        await staging.AdStats(new AdStat(day, 5, "казань", 7, 300m, 1, 10) { UtmSource = "vk", Ver = 2 });
        await new FactBuilder(schema.Store).RebuildAsync(day, day);

        Assert.Equal(await Text(ScannedUtmSources), await Text(Kept));
        Assert.Contains("vk\tvk_ads\t600", await Text(Kept), StringComparison.Ordinal);
    }

    private Task<string> Text(string sql) => PipelineQueries.TextAsync(schema.Store, sql);
}
