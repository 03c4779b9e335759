using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.VkAds;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sources.VkAds;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests.VkAds;

/// <summary>VK Ads syncs from the sandbox over HTTP into the real schema, read back through the bi views.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class VkAdsSyncTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateTimeOffset Anchor = new(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(3));
    private static readonly DateOnly Day = new(2025, 3, 10);

    private IClickHouseStore Store => schema.Store;

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// Two cities, three campaigns, one of them unmapped, on one day:
    /// msk_rock_2025 spends 1000.00 (100 clicks) against Moscow's 3 orders worth 3000.00;
    /// a promo tagged utm_content=spb_15_03 spends 500.00 against St Petersburg's 1 order of 400.00;
    /// an untagged brand campaign spends 300.00 that no convention can place.
    /// </summary>
    private static VkAdsSandboxOptions TinyCabinet => new()
    {
        Anchor = Anchor,
        Campaigns =
        [
            new("msk_rock_2025", "https://msk.example/e/1?utm_source=vk&utm_medium=cpc&utm_campaign=msk_rock_2025", "москва",
                new Dictionary<DateOnly, (decimal, long, long)> { [Day] = (1000.00m, 10_000, 100) }),
            new("Весенняя акция", "https://spb.example/?utm_source=vk&utm_campaign=spring_promo&utm_content=SPB_15_03", "санкт-петербург",
                new Dictionary<DateOnly, (decimal, long, long)> { [Day] = (500.00m, 4_000, 50) }),
            new("Бренд", "https://promoter.example/", "unknown",
                new Dictionary<DateOnly, (decimal, long, long)> { [Day] = (300.00m, 6_000, 30) }),
        ],
    };

    [Fact]
    public async Task A_tiny_cabinet_gives_exact_roas_romi_and_cpo_per_city_with_unmapped_spend_under_unknown()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(TinyCabinet);
        await TinySalesAsync();

        await SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day });

        Assert.Equal("""
            2025-03-10	москва	3000	3	1000	3	2	333.33	10
            2025-03-10	санкт-петербург	400	1	500	0.8	-0.2	500	10
            2025-03-10	unknown	0	0	300	0	-1	\N	10
            """, await PipelineQueries.TextAsync(Store,
            "SELECT d, city, revenue, orders, spend, roas, romi, cpo, cpc FROM bi.v_marketing_roi_daily ORDER BY spend DESC"));
        Assert.Equal("1800\t3400\t4", await PipelineQueries.TextAsync(Store,
            "SELECT sum(spend), sum(revenue), sum(orders) FROM bi.v_marketing_roi_daily"));
        Assert.Equal("""
            vk	msk_rock_2025	3000	1000	3	2
            vk	spring_promo	0	500	0	-1
            		400	300	1.3333	0.3333
            """, await PipelineQueries.TextAsync(Store,
            "SELECT source, utm_campaign, revenue, spend, roas, romi FROM bi.v_romi_by_campaign ORDER BY spend DESC"));
    }

    [Fact]
    public async Task A_rule_change_is_applied_to_stored_rows_without_downloading_again()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(TinyCabinet);
        await TinySalesAsync();
        await SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day });
        var requests = sandbox.Faults.Requests(VkAdsFaults.AnyRoute);

        var rules = new CampaignRules(Store);
        await rules.ImportAsync(CsvText.Parse("rules.csv", """
            match_kind,pattern,city,event_id,priority,active,note
            name,бренд%,msk,1,10,1,brand spend goes to Moscow
            """));
        var applied = await rules.ApplyAsync();

        Assert.Equal(1, applied.RowsChanged);
        Assert.Equal(requests, sandbox.Faults.Requests(VkAdsFaults.AnyRoute));
        Assert.Equal("""
            москва	1300	2.3077
            санкт-петербург	500	0.8
            """, await PipelineQueries.TextAsync(Store, "SELECT city, spend, roas FROM bi.v_marketing_roi_daily ORDER BY spend DESC"));
        Assert.Equal("1\t300", await PipelineQueries.TextAsync(Store,
            "SELECT event_id, spend FROM zakaz.dm_vk_ads_daily FINAL WHERE city = 'москва' AND event_id = 1"));
    }

    [Fact]
    public async Task Rules_whose_cities_hold_a_quote_or_a_backslash_apply_and_keep_applying()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(TinyCabinet);
        await TinySalesAsync();
        await SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day });
        var rules = new CampaignRules(Store);

        await rules.ImportAsync(CsvText.Parse("rules.csv", """
            match_kind,pattern,city,event_id,priority,active,note
            name,бренд%,кот-д'ивуар,0,10,1,l'été
            utm_campaign,spring_promo,город\юг,0,10,1,c:\notes
            """));
        var first = await rules.ApplyAsync();
        var again = await rules.ApplyAsync(Day, Day);

        Assert.Equal(2, first.RowsChanged);
        Assert.Equal(0, again.RowsChanged);
        Assert.Equal(["кот-д'ивуар", @"город\юг"], (await rules.ReadAsync()).Select(r => r.City));
        Assert.Equal("""
            москва	1000
            город\\юг	500
            кот-д\'ивуар	300
            """, await PipelineQueries.TextAsync(Store, "SELECT city, spend FROM zakaz.dm_vk_ads_daily FINAL WHERE spend != 0 ORDER BY spend DESC"));
    }

    [Fact]
    public async Task A_generated_cabinet_loads_to_the_sandbox_truth_per_city_and_campaign()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = 2_000, Anchor = Anchor });
        var (from, to) = sandbox.SpendDays;

        var result = await SyncAsync(sandbox, new AdSyncRequest { From = from, To = to });

        var truth = sandbox.Truth;
        var byCity = await Store.QueryAsync("SELECT city, sum(spend), sum(clicks), sum(impressions) FROM bi.v_vk_ads_daily GROUP BY city");
        var loaded = Enumerable.Range(0, byCity.Rows.Count).ToDictionary(i => byCity.Get<string>(i, 0),
            i => new AdFigures(byCity.Get<decimal>(i, 1), (long)byCity.Get<ulong>(i, 2), (long)byCity.Get<ulong>(i, 3)));
        Assert.Equal(truth.ByCity.OrderBy(p => p.Key), loaded.OrderBy(p => p.Key));
        Assert.True(truth.ByCity["unknown"].Spend > 0);
        var byCampaign = await Store.QueryAsync("SELECT source, utm_campaign, sum(spend) FROM bi.v_romi_by_campaign GROUP BY source, utm_campaign HAVING sum(spend) > 0");
        var campaigns = Enumerable.Range(0, byCampaign.Rows.Count).ToDictionary(i => (byCampaign.Get<string>(i, 0), byCampaign.Get<string>(i, 1)), i => byCampaign.Get<decimal>(i, 2));
        Assert.Equal(truth.ByCampaign.Where(p => p.Value.Spend > 0).ToDictionary(p => p.Key, p => p.Value.Spend).OrderBy(p => p.Key), campaigns.OrderBy(p => p.Key));
        Assert.Equal("ok\tvk_ads.daily", await PipelineQueries.TextAsync(Store, "SELECT status, job FROM zakaz.meta_job_runs FINAL"));
        Assert.Equal(to.ToString("yyyy-MM-dd"), await PipelineQueries.TextAsync(Store,
            "SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = 'vk_ads' AND stream = 'daily'"));
        Assert.Equal("vk_ads\tgreen", await PipelineQueries.TextAsync(Store, "SELECT source, status FROM bi.v_ops_freshness WHERE source = 'vk_ads'"));
        Assert.Equal(1, result.TokensMinted);
    }

    [Fact]
    public async Task Restated_figures_replace_the_earlier_ones_and_a_rerun_adds_nothing()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(TinyCabinet);
        await SyncAsync(sandbox, new AdSyncRequest { From = Day.AddDays(-1), To = Day });
        var banner = sandbox.BannersWithSpend(Day)[0];
        sandbox.Restate(banner, Day, 0m, 0, 0);

        await SyncAsync(sandbox, new AdSyncRequest { From = Day.AddDays(-1), To = Day });
        await SyncAsync(sandbox, new AdSyncRequest { From = Day.AddDays(-1), To = Day });

        Assert.Equal("800\t80", await PipelineQueries.TextAsync(Store, "SELECT sum(spend), sum(clicks) FROM bi.v_vk_ads_daily"));
        Assert.Equal("6\t6", await PipelineQueries.TextAsync(Store,
            "SELECT count(), uniqExact(stat_date, banner_id) FROM zakaz.stg_vk_ads_daily FINAL"));
        Assert.Equal("0", await PipelineQueries.TextAsync(Store, "SELECT count() FROM bi.v_vk_ads_daily WHERE city = 'москва'"));
    }

    [Fact]
    public async Task A_token_that_expires_mid_run_is_refreshed_not_minted_again()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(TinyCabinet);
        await SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day });
        sandbox.Faults.FailNext("banners", VkAdsFaultKind.ExpireToken, 1);

        var result = await SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day });

        Assert.Equal(1, sandbox.TokensMinted);
        Assert.Equal(1, sandbox.TokensRefreshed);
        Assert.Equal(1, result.TokensRefreshed);
    }

    [Fact]
    public async Task A_second_401_fails_the_run_with_an_error_row_and_leaves_the_data_as_it_was()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(TinyCabinet);
        sandbox.Faults.FailNext("stats", VkAdsFaultKind.Unauthorized, 2);

        var error = await Assert.ThrowsAsync<VkAdsSyncException>(() => SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day }));

        Assert.Contains("401 expired_token again with a renewed token", error.Message, StringComparison.Ordinal);
        Assert.Equal("error\t1", await PipelineQueries.TextAsync(Store,
            "SELECT status, position(message, 'again with a renewed token') > 0 FROM zakaz.meta_job_runs FINAL WHERE job = 'vk_ads.daily'"));
        Assert.Equal("0\t0", await PipelineQueries.TextAsync(Store,
            "SELECT (SELECT count() FROM zakaz.stg_vk_ads_daily), (SELECT count() FROM zakaz.meta_watermarks WHERE source = 'vk_ads')"));

        await SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day });
        Assert.Equal("1800", await PipelineQueries.TextAsync(Store, "SELECT sum(spend) FROM bi.v_vk_ads_daily"));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing()
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(TinyCabinet);

        var result = await SyncAsync(sandbox, new AdSyncRequest { From = Day, To = Day, DryRun = true });

        Assert.Equal(300.00m, result.SpendByCity["unknown"]);
        Assert.Equal("0\t0\t0", await PipelineQueries.TextAsync(Store,
            "SELECT (SELECT count() FROM zakaz.stg_vk_ads_daily), (SELECT count() FROM zakaz.dim_vk_ads_objects), (SELECT count() FROM zakaz.meta_job_runs)"));
    }

    [Fact]
    public async Task A_rules_file_with_bad_lines_names_each_of_them_and_imports_nothing()
    {
        var rules = new CampaignRules(Store);
        await rules.ImportAsync(CsvText.Parse("old.csv", "match_kind,pattern,city\nutm_campaign,Old_Campaign,spb\n"));

        var error = await Assert.ThrowsAsync<BadRowsException>(() => rules.ImportAsync(CsvText.Parse("rules.csv", """
            match_kind,pattern,city,event_id,priority,active,note
            utm_campaign,msk_rock_2025,msk,,,,
            banner_id,12ab,msk,,,,
            colour,red,msk,,,,
            name,"Бренд, весна%",,7,first,maybe,
            utm_campaign,MSK_ROCK_2025,spb,,,,
            """)));

        Assert.Equal(
        [
            "line 3: pattern '12ab' is not a numeric banner_id",
            "line 4: match_kind 'colour' is not one of ad_id, banner_id, ad_group_id, campaign_id, ad_plan_id, utm_source, utm_medium, utm_campaign, utm_content, utm_term, name",
            "line 5: city is empty; priority 'first' is not a whole number; active 'maybe' is not 1/0 or true/false",
            "line 6: utm_campaign 'msk_rock_2025' is already ruled on line 2",
        ], error.Rows.Select(r => r.ToString()));
        var stored = await rules.ReadAsync();
        Assert.Equal([new MappingRule("", "utm_campaign", "old_campaign", "санкт-петербург", 0, 100, true, "")], stored);
    }

    private async Task<VkAdsSyncResult> SyncAsync(VkAdsSandbox sandbox, AdSyncRequest request)
    {
        using var client = VkAdsSource.Create(new VkAdsClientOptions
        {
            BaseUrl = sandbox.BaseUrl,
            ClientId = sandbox.ClientId,
            ClientSecret = sandbox.ClientSecret,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            MaxRequestsPerSecond = 1_000,
        }, new VkAdsTokenTable(Store));
        return await new VkAdsSync(Store, client, new VkAdsOptions()).RunAsync(request);
    }

    private async Task TinySalesAsync()
    {
        var staging = new Staging(Store);
        await staging.Event(1, "Рок-концерт", "москва");
        await staging.Event(2, "Джазовый вечер", "санкт-петербург");
        // Moscow's orders came through the rock campaign's banner; St Petersburg's is untagged.
        foreach (var (orderId, hour, prices) in new[] { (101UL, 11, new[] { 1000m }), (102UL, 15, [1000m, 500m]), (103UL, 20, [500m]) })
        {
            var paidAt = Staging.Msk(2025, 3, 10, hour);
            await staging.Order(new Order(orderId, 1, paidAt) { UtmSource = "vk", UtmCampaign = "msk_rock_2025" });
            await staging.Baskets(prices.Select((price, i) => new Basket(orderId * 100 + (ulong)i, orderId, 1, price, paidAt)).ToArray());
        }
        await staging.Sale(201, 2, Staging.Msk(2025, 3, 10, 19), 400m);
        await new FactBuilder(Store).RebuildAsync(Day, Day);
    }
}
