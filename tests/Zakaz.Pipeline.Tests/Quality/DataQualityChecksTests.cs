using Zakaz.Pipeline.Quality;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests.Quality;

/// <summary>Each check on the real schema: a clean store passes, and each planted defect fails its own check.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class DataQualityChecksTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private DataQualityChecks Checks => new(schema.Store);

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_empty_store_passes_with_no_data_for_every_source()
    {
        var results = await Checks.RunAsync();

        Assert.DoesNotContain(results, r => r.Failed);
        Assert.Equal(
            ["duplicate_keys", "negative_values", "orders_without_event", "spend_without_city", "revenue_without_utm", "freshness_qtickets", "freshness_vk_ads", "freshness_yandex_direct"],
            results.Select(r => r.Check));
        Assert.All(results.Skip(2), r => Assert.Equal((QualityStatus.NoData, null), (r.Status, r.Value)));
    }

    [Fact]
    public async Task A_clean_store_passes_every_check_with_measured_values()
    {
        await PlantCleanDataAsync();

        var results = (await Checks.RunAsync()).ToDictionary(r => r.Check);

        Assert.All(results.Values, r => Assert.Equal(QualityStatus.Ok, r.Status));
        Assert.Equal(0m, results["duplicate_keys"].Value);
        Assert.Equal(0m, results["orders_without_event"].Value);
        Assert.Equal(10.0m, results["spend_without_city"].Value);
        Assert.Equal(25.0m, results["revenue_without_utm"].Value);
        Assert.Equal("100.00 of 1,000.00 roubles (10.0 %) of ad spend has no city", results["spend_without_city"].Detail);
        Assert.InRange(results["freshness_qtickets"].Value!.Value, 19m, 21m);
    }

    [Fact]
    public async Task A_key_stored_in_two_partitions_is_a_duplicate_although_plain_FINAL_hides_it()
    {
        await PlantCleanDataAsync();
        // The same order again, its created_at moved to another month: another partition.
        await Execute("""
            INSERT INTO zakaz.stg_qtickets_api_orders_raw (order_id, event_id, payed, payed_at, created_at, updated_at, revenue, _ver, _loaded_at)
            VALUES (10, 1, 1, '2025-03-01 12:00:00', '2025-04-02 09:00:00', '2025-04-02 09:00:00', 3000, 2, now())
            """);

        var result = await Checks.DuplicateKeysAsync();
        var plainFinal = await schema.Store.QueryAsync("SELECT count() FROM zakaz.stg_qtickets_api_orders_raw FINAL WHERE order_id = 10");

        Assert.Equal((QualityStatus.Fail, 1m), (result.Status, result.Value));
        Assert.Contains("stg_qtickets_api_orders_raw: 1 key(s) (order_id)", result.Detail, StringComparison.Ordinal);
        Assert.Equal(1UL, plainFinal.Scalar<ulong>());
    }

    [Fact]
    public async Task A_new_version_in_the_same_partition_is_not_a_duplicate()
    {
        await PlantCleanDataAsync();
        await Execute("""
            INSERT INTO zakaz.stg_qtickets_api_orders_raw (order_id, event_id, payed, payed_at, created_at, updated_at, revenue, _ver, _loaded_at)
            VALUES (10, 1, 1, '2025-03-01 12:00:00', '2025-03-01 11:00:00', '2025-03-05 10:00:00', 2000, 2, now())
            """);

        var result = await Checks.DuplicateKeysAsync();

        Assert.Equal((QualityStatus.Ok, 0m), (result.Status, result.Value));
    }

    [Fact]
    public async Task A_negative_amount_fails_but_neither_a_replaced_negative_version_nor_sales_behind_plan_do()
    {
        await PlantCleanDataAsync();
        // Fact minus plan is negative whenever sales trail the plan: a difference, not an amount.
        await Execute("""
            INSERT INTO zakaz.dm_plan_vs_fact_daily (d, event_id, city, plan_tickets, plan_revenue, fact_tickets, fact_revenue, diff, diff_pct, diff_tickets, _ver, _loaded_at)
            VALUES ('2025-03-01', 1, 'томск', 10, 1000, 5, 500, -500, -0.5, -5, 1, now())
            """);
        await Execute("""
            INSERT INTO zakaz.stg_vk_ads_daily (stat_date, banner_id, spend, city, _ver, _loaded_at)
            VALUES ('2025-03-02', 102, -5, 'томск', 1, now())
            """);
        await Execute("""
            INSERT INTO zakaz.stg_qtickets_api_tickets_raw (basket_id, order_id, event_id, price, created_at, _ver, _loaded_at)
            VALUES (500, 10, 1, -100, '2025-03-01 11:00:00', 1, now()), (500, 10, 1, 100, '2025-03-01 11:00:00', 2, now())
            """);

        var result = await Checks.NegativeValuesAsync();

        Assert.Equal((QualityStatus.Fail, 1m), (result.Status, result.Value));
        Assert.Equal("negative: stg_vk_ads_daily.spend: 1", result.Detail);
    }

    [Fact]
    public async Task A_sale_of_an_unknown_event_fails_but_an_unpaid_order_does_not_count()
    {
        await PlantCleanDataAsync();
        await Execute("""
            INSERT INTO zakaz.stg_qtickets_api_orders_raw (order_id, event_id, payed, payed_at, created_at, updated_at, revenue, _ver, _loaded_at)
            VALUES (20, 999, 1, '2025-03-01 13:00:00', '2025-03-01 13:00:00', '2025-03-01 13:00:00', 1500, 1, now()),
                   (21, 998, 0, NULL, '2025-03-01 13:00:00', '2025-03-01 13:00:00', 700, 1, now())
            """);

        var result = await Checks.OrdersWithoutEventAsync();

        Assert.Equal((QualityStatus.Fail, 1m), (result.Status, result.Value));
        Assert.Equal("1 of 3 sales (1,500.00 roubles) refer to events missing from dim_events", result.Detail);
    }

    [Fact]
    public async Task Spend_mostly_without_a_city_fails()
    {
        await PlantCleanDataAsync();
        await Execute("""
            INSERT INTO zakaz.stg_vk_ads_daily (stat_date, banner_id, spend, city, _ver, _loaded_at)
            VALUES ('2025-03-01', 103, 800, '', 1, now())
            """);

        var result = await Checks.SpendWithoutCityAsync();

        // (100 under 'unknown' + 800 under '') of 1,800.
        Assert.Equal((QualityStatus.Fail, 50.0m), (result.Status, result.Value));
    }

    [Fact]
    public async Task Revenue_mostly_without_UTM_fails()
    {
        await PlantCleanDataAsync();
        await Execute("""
            INSERT INTO zakaz.fact_qtickets_sales_utm_daily (sales_date, event_id, city, utm_source, orders, tickets_sold, revenue, _ver, _loaded_at)
            VALUES ('2025-03-02', 1, 'томск', '', 2, 4, 4000, 1, now())
            """);

        var result = await Checks.RevenueWithoutUtmAsync();

        // (1,000 + 4,000) untagged of 8,000.
        Assert.Equal((QualityStatus.Fail, 62.5m), (result.Status, result.Value));
    }

    // A run under another id comes after the clean run; under the clean run's id it is vk_ads' only run (bi.v_ops_freshness
    // keeps maxima as runs are written, so a recorded end is never taken back by a later row of the same run).
    [Theory]
    [InlineData("later", "'error', now('UTC') - INTERVAL 5 MINUTE, NULL", "red: the last run failed; last successful load 19 min ago")]
    [InlineData("clean", "'ok', now('UTC') - INTERVAL 8 HOUR, now('UTC') - INTERVAL 7 HOUR", "red: last successful load 420 min ago")]
    [InlineData("clean", "'running', now('UTC') - INTERVAL 1 MINUTE, NULL", "red: no successful load yet")]
    public async Task A_late_or_failed_source_fails_freshness(string runId, string run, string detail)
    {
        await PlantCleanDataAsync(vkAdsRun: runId != "clean");
        await Execute($"""
            INSERT INTO zakaz.meta_job_runs (job, run_id, status, started_at, finished_at, _ver)
            SELECT 'vk_ads.sync', '{runId}', {run}, 2
            """);

        var vkAds = (await Checks.FreshnessAsync()).Single(r => r.Check == "freshness_vk_ads");

        Assert.Equal(QualityStatus.Fail, vkAds.Status);
        Assert.StartsWith(detail, vkAds.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_without_any_recorded_load_fails_freshness()
    {
        await Execute("""
            INSERT INTO zakaz.stg_vk_ads_daily (stat_date, banner_id, spend, city, _ver, _loaded_at)
            VALUES ('2025-03-01', 100, 900, 'томск', 1, now())
            """);

        var results = await Checks.FreshnessAsync();

        Assert.Equal(QualityStatus.Fail, results.Single(r => r.Check == "freshness_vk_ads").Status);
        Assert.Equal(QualityStatus.NoData, results.Single(r => r.Check == "freshness_qtickets").Status);
    }

    /// <summary>
    /// One event with two sales, 10 % of the spend without a city, 25 % of the revenue without UTM,
    /// and a successful load of each source 19 minutes ago.
    /// </summary>
    private async Task PlantCleanDataAsync(bool vkAdsRun = true)
    {
        await Execute("INSERT INTO zakaz.dim_events (event_id, event_name, city, _ver, _loaded_at) VALUES (1, 'Концерт', 'томск', 1, now())");
        await Execute("""
            INSERT INTO zakaz.stg_qtickets_api_orders_raw (order_id, event_id, payed, payed_at, created_at, updated_at, revenue, utm_source, _ver, _loaded_at)
            VALUES (10, 1, 1, '2025-03-01 12:00:00', '2025-03-01 11:00:00', '2025-03-01 12:00:00', 3000, 'vk', 1, now()),
                   (11, 1, 1, '2025-03-01 14:00:00', '2025-03-01 14:00:00', '2025-03-01 14:00:00', 1000, '', 1, now())
            """);
        await Execute("""
            INSERT INTO zakaz.fact_qtickets_sales_utm_daily (sales_date, event_id, city, utm_source, orders, tickets_sold, revenue, _ver, _loaded_at)
            VALUES ('2025-03-01', 1, 'томск', 'vk', 1, 2, 3000, 1, now()), ('2025-03-01', 1, 'томск', '', 1, 1, 1000, 1, now())
            """);
        await Execute("""
            INSERT INTO zakaz.stg_vk_ads_daily (stat_date, banner_id, impressions, clicks, spend, city, _ver, _loaded_at)
            VALUES ('2025-03-01', 100, 10000, 100, 900, 'томск', 1, now()), ('2025-03-01', 101, 1000, 10, 100, 'unknown', 1, now())
            """);
        await Execute($"""
            INSERT INTO zakaz.meta_job_runs (job, run_id, status, started_at, finished_at, _ver)
            SELECT job, 'clean', 'ok', now('UTC') - INTERVAL 20 MINUTE, now('UTC') - INTERVAL 19 MINUTE, 1
            FROM values('job String', ('qtickets.sync'), ('vk_ads.sync'), ('yandex_direct.daily'))
            WHERE {(vkAdsRun ? 1 : 0)} OR job != 'vk_ads.sync'
            """);
    }

    private Task Execute(string sql) => schema.Store.ExecuteAsync(sql);
}
