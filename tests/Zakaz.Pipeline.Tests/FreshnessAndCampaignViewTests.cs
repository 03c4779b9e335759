using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Runs;
using Zakaz.Testing;
using static Zakaz.Pipeline.Tests.Staging;

namespace Zakaz.Pipeline.Tests;

[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class FreshnessAndCampaignViewTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Freshness_lists_data_sources_only_and_reflects_their_last_runs()
    {
        var runs = new JobRunLog(schema.Store);
        await (await runs.StartAsync("qtickets.orders")).CompleteAsync(10);
        await (await runs.StartAsync("facts.rebuild")).CompleteAsync(3);
        await (await runs.StartAsync("vk_ads.stats")).FailAsync("HTTP 403 from VK Ads");

        var freshness = await PipelineQueries.TextAsync(schema.Store, "SELECT source, status, last_loaded_at IS NOT NULL, lag_minutes FROM bi.v_ops_freshness ORDER BY source");
        var compat = await PipelineQueries.TextAsync(schema.Store, "SELECT source, status FROM zakaz.v_qtickets_freshness");

        Assert.Equal("qtickets\tgreen\t1\t0\nvk_ads\tred\t0\t\\N\nyandex_direct\tred\t0\t\\N", freshness);
        Assert.Equal("qtickets\tgreen", compat);
    }

    [Fact]
    public async Task A_run_still_running_or_left_running_by_a_dead_process_never_sets_the_light_the_last_finished_run_does()
    {
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.meta_job_runs (job, run_id, started_at, finished_at, status, _ver)
            VALUES ('qtickets.orders', 'a', now('UTC') - INTERVAL 20 MINUTE, now('UTC') - INTERVAL 19 MINUTE, 'ok', 1),
                   ('qtickets.orders', 'b', now('UTC') - INTERVAL 10 MINUTE, now('UTC') - INTERVAL 9 MINUTE, 'error', 1),
                   ('qtickets.orders', 'c', now('UTC') - INTERVAL 1 MINUTE, NULL, 'running', 1),
                   ('vk_ads.daily', 'd', now('UTC') - INTERVAL 20 MINUTE, now('UTC') - INTERVAL 19 MINUTE, 'ok', 1),
                   ('vk_ads.daily', 'e', now('UTC') - INTERVAL 1 MINUTE, NULL, 'running', 1)
            """);

        Assert.Equal("qtickets\tred\nvk_ads\tgreen\nyandex_direct\tred", await PipelineQueries.TextAsync(schema.Store, "SELECT source, status FROM bi.v_ops_freshness ORDER BY source"));
    }

    [Fact]
    public async Task Campaign_roi_matches_banners_and_orders_whatever_the_case_and_spaces_of_their_tags()
    {
        var staging = new Staging(schema.Store);
        var day = new DateOnly(2025, 2, 3);
        await staging.Event(501, "Шоу", "казань");
        await staging.Order(new Order(51, 501, Msk(2025, 2, 3)) { UtmSource = "vk", UtmCampaign = "kzn_show" });
        await staging.Baskets(new Basket(5101, 51, 501, 1200m, Msk(2025, 2, 3)), new Basket(5102, 51, 501, 1200m, Msk(2025, 2, 3)));
        await staging.AdStats(new AdStat(day, 9, "казань", 501, 800m, 40, 4000) { UtmSource = " VK", UtmCampaign = "KZN_Show " });
        await new FactBuilder(schema.Store).RebuildAllAsync();

        var roi = await PipelineQueries.TextAsync(schema.Store, "SELECT d, source, utm_campaign, revenue, orders, spend, roas, romi, cpo FROM bi.v_romi_by_campaign");

        Assert.Equal("2025-02-03\tvk\tkzn_show\t2400\t1\t800\t3\t2\t800", roi);
    }
}
