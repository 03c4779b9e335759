using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sandbox.YandexDirect;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests.YandexDirect;

/// <summary>Yandex Direct syncs from the sandbox over HTTP (offline reports, object paging) into the real schema, read back through the bi views.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class YandexDirectSyncTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateTimeOffset Anchor = new(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(3));

    private IClickHouseStore Store => schema.Store;

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A small promoter, its reports built offline (queued, then ready a second later).</summary>
    private static YandexDirectSandboxOptions Promoter => new() { Orders = 2_000, Anchor = Anchor, RetryInSeconds = [1], OfflinePolls = 1 };

    [Fact]
    public async Task A_backfill_equals_the_sandbox_truth_per_day_and_city_and_a_second_run_changes_nothing()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(Promoter);
        var (from, to) = sandbox.SpendDays;

        var result = await SyncAsync(sandbox, new AdSyncRequest { From = from, To = to });

        Assert.Equal(Expected(sandbox.Truth.ByDayCity), await DirectSpendByDayCityAsync());
        Assert.Equal(sandbox.Truth.Total.Spend, result.SpendByCity.Values.Sum());
        Assert.Equal(to, result.Watermark);
        var views = await BiSnapshotAsync();
        await SyncAsync(sandbox, new AdSyncRequest { From = from, To = to });
        Assert.Equal(views, await BiSnapshotAsync());
        Assert.Equal("ok\t2", await PipelineQueries.TextAsync(Store,
            $"SELECT any(toString(status)), count() FROM zakaz.meta_job_runs FINAL WHERE job = '{YandexDirectSync.Job}'"));
    }

    [Fact]
    public async Task Points_running_out_mid_run_keep_the_finished_parts_and_the_next_run_completes_to_what_a_clean_run_gives()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(Promoter);
        var (from, to) = sandbox.SpendDays;
        sandbox.Faults.NotEnoughPointsAfter(2);

        var failure = await Assert.ThrowsAsync<YandexDirectSyncException>(() => SyncAsync(sandbox, new AdSyncRequest { From = from, To = to }));

        Assert.Matches(@"^Yandex Direct has no API points left \(error 152(; points spent/available/daily limit \d+/\d+/\d+)?\) after the statistics through ", failure.Message);
        Assert.EndsWith(", which are stored; points come back within the hour, and the next run continues from there", failure.Message, StringComparison.Ordinal);
        var stored = await Store.QueryAsync("SELECT count(), max(stat_date) FROM zakaz.stg_yandex_direct_daily FINAL");
        Assert.True(stored.Get<ulong>(0, 0) > 0, "the parts read before error 152 are stored");
        var watermark = await Store.QueryAsync("SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = 'yandex_direct' AND stream = 'daily'");
        Assert.True(DateOnly.Parse(watermark.Get<string>(0, 0), CultureInfo.InvariantCulture) < to, "the watermark stops at the last finished part");
        Assert.Equal("error", await PipelineQueries.TextAsync(Store,
            $"SELECT toString(status) FROM zakaz.meta_job_runs FINAL WHERE job = '{YandexDirectSync.Job}'"));

        sandbox.Faults.Clear();
        await SyncAsync(sandbox, new AdSyncRequest { From = from, To = to });

        Assert.Equal(Expected(sandbox.Truth.ByDayCity), await DirectSpendByDayCityAsync());
    }

    [Fact]
    public async Task A_restatement_shows_after_the_next_run_and_a_day_restated_to_zero_reads_zero()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(Promoter);
        var day = sandbox.SpendDays.To;
        await SyncAsync(sandbox, new AdSyncRequest { From = day.AddDays(-6), To = day });
        var ads = sandbox.AdsWithSpend(day);
        Assert.True(ads.Count >= 2, "the last day has at least two ads with spend");

        sandbox.Restate(ads[0], day, 12_345.67m, 1_000, 10);
        foreach (var ad in ads.Skip(1))
        {
            sandbox.Restate(ad, day, 0m, 0, 0);
        }
        await SyncAsync(sandbox, new AdSyncRequest { From = day.AddDays(-6), To = day });

        Assert.Equal("12345.67", await PipelineQueries.TextAsync(Store,
            $"SELECT sum(spend) FROM bi.v_ad_spend_daily WHERE source = 'yandex_direct' AND d = '{day:yyyy-MM-dd}'"));
        Assert.Equal(Expected(sandbox.Truth.ByDayCity).Where(t => t.Item1 >= day.AddDays(-6)), await DirectSpendByDayCityAsync());
    }

    [Fact]
    public async Task An_invalid_token_fails_the_run_with_one_line_and_an_error_row_and_writes_nothing()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(Promoter);

        var failure = await Assert.ThrowsAsync<YandexDirectSyncException>(() =>
            SyncAsync(sandbox, new AdSyncRequest { From = sandbox.SpendDays.To, To = sandbox.SpendDays.To }, token: "expired-token"));

        Assert.DoesNotContain('\n', failure.Message);
        Assert.Contains("YANDEX_DIRECT_TOKEN", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("expired-token", failure.Message, StringComparison.Ordinal);
        Assert.Equal("error\t0\t0", await PipelineQueries.TextAsync(Store, $"""
            SELECT toString(status), (SELECT count() FROM zakaz.stg_yandex_direct_daily), (SELECT count() FROM zakaz.dim_yandex_direct_objects)
            FROM zakaz.meta_job_runs FINAL WHERE job = '{YandexDirectSync.Job}'
            """));
    }

    [Fact]
    public async Task Tracking_parameters_and_macros_give_each_ad_its_utm_and_a_rule_applies_to_its_platform_only()
    {
        await using var sandbox = await YandexDirectSandbox.StartAsync(Promoter);
        var (from, to) = sandbox.SpendDays;
        await SyncAsync(sandbox, new AdSyncRequest { From = from, To = to });

        // Every ad's stored UTM values are the sandbox's effective link's: no macro is left, and a {campaign_id} campaign is keyed by its id.
        Assert.Equal("0", await PipelineQueries.TextAsync(Store,
            "SELECT countIf(position(utm_campaign, '{') > 0 OR position(utm_content, '{') > 0 OR position(utm_term, '{') > 0) FROM zakaz.dim_yandex_direct_objects FINAL"));
        var byCampaign = await Store.QueryAsync(
            "SELECT source, utm_campaign, sum(spend) AS spend FROM bi.v_romi_by_campaign GROUP BY source, utm_campaign HAVING spend != 0");
        var loaded = Enumerable.Range(0, byCampaign.Rows.Count).ToDictionary(i => (byCampaign.Get<string>(i, 0), byCampaign.Get<string>(i, 1)), i => byCampaign.Get<decimal>(i, 2));
        Assert.Equal(sandbox.Truth.ByCampaign.Where(c => c.Value.Spend != 0).ToDictionary(c => c.Key, c => c.Value.Spend).OrderBy(c => c.Key), loaded.OrderBy(c => c.Key));
        Assert.Contains(loaded.Keys, k => k.Item2.Length > 0 && k.Item2.All(char.IsAsciiDigit));

        // A rule for VK Ads alone leaves Direct's spend where it was; the same rule for Direct moves all of it.
        var rules = new CampaignRules(Store);
        await rules.ImportAsync(CsvText.Parse("rules.csv", "match_kind,pattern,city,source\nname,%,kzn,vk_ads\n"));
        Assert.Equal(0, (await rules.ApplyAsync()).RowsChanged);
        Assert.Equal(Expected(sandbox.Truth.ByDayCity), await DirectSpendByDayCityAsync());

        await rules.ImportAsync(CsvText.Parse("rules.csv", "match_kind,pattern,city,source\nname,%,nsk,yandex_direct\n"));
        Assert.True((await rules.ApplyAsync()).RowsChanged > 0);
        Assert.Equal($"новосибирск\t{sandbox.Truth.Total.Spend.ToString(CultureInfo.InvariantCulture)}", await PipelineQueries.TextAsync(Store,
            "SELECT city, sum(spend) FROM bi.v_ad_spend_daily WHERE source = 'yandex_direct' GROUP BY city"));
    }

    [Fact]
    public async Task Orders_stored_before_their_platform_was_loaded_count_for_it_once_it_is_without_rebuilding_their_days()
    {
        var staging = new Staging(Store);
        await staging.Event(1, "Рок-концерт", "москва");
        var (salesDay, spendDay) = (new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 20));
        await staging.Order(new Order(101, 1, Staging.Msk(2025, 3, 1)) { UtmSource = "Yandex", UtmCampaign = "msk_rock_2025_search" });
        await staging.Baskets(new Basket(10101, 101, 1, 2500m, Staging.Msk(2025, 3, 1)));
        await new FactBuilder(Store).RebuildAsync(salesDay, salesDay);
        Assert.Equal("2025-03-01\t\t2500", await PipelineQueries.TextAsync(Store, "SELECT d, source, revenue FROM bi.v_marketing_source_daily_mart"));

        // Direct's first load covers another day only: the stored day's orders still count for Direct now.
        await Store.ExecuteAsync("""
            INSERT INTO zakaz.stg_yandex_direct_daily (stat_date, campaign_id, ad_id, spend, utm_source, utm_campaign, city, _ver, _loaded_at)
            VALUES ('2025-03-20', 7, 70, 1000, 'yandex', 'msk_rock_2025_search', 'москва', 1, now())
            """);
        await new FactBuilder(Store).RebuildAsync(spendDay, spendDay);

        Assert.Equal("""
            2025-03-01	yandex_direct	2500	0
            2025-03-20	yandex_direct	0	1000
            """, await PipelineQueries.TextAsync(Store, "SELECT d, source, revenue, spend FROM bi.v_marketing_source_daily_mart ORDER BY d"));
        Assert.Equal(await PipelineQueries.TextAsync(Store, "SELECT * FROM bi.v_marketing_source_daily ORDER BY ALL"),
            await PipelineQueries.TextAsync(Store, "SELECT * FROM bi.v_marketing_source_daily_mart ORDER BY ALL"));
    }

    [Fact]
    public async Task A_report_that_splits_an_ad_day_into_several_rows_is_added_up_not_overwritten()
    {
        var day = new DateOnly(2025, 3, 10);
        var ad = new DirectAd(70, 7, 700, "ON", "ACCEPTED", "TEXT_AD", "https://msk.example/?utm_source=yandex&utm_campaign=msk_rock_2025_search", "Рок");
        var source = new OneReport([new DirectCampaign(700, "msk_rock_2025_search", "ON", "ACCEPTED", "TEXT_CAMPAIGN", "")], [ad],
            new DirectAdDays(day, day, [
                new DirectAdDay(day, 700, "msk_rock_2025_search", 7, "Группа", 70, 1_000, 10, 300.50m),
                new DirectAdDay(day, 700, "msk_rock_2025_search", 7, "Группа", 70, 500, 5, 199.50m),
            ]));

        await new YandexDirectSync(Store, source, new YandexDirectOptions()).RunAsync(new AdSyncRequest { From = day, To = day });

        Assert.Equal("2025-03-10\tмосква\t1500\t15\t500", await PipelineQueries.TextAsync(Store,
            "SELECT d, city, impressions, clicks, spend FROM bi.v_ad_spend_daily WHERE source = 'yandex_direct'"));
    }

    [Fact]
    public async Task An_ad_without_a_link_takes_the_utm_of_its_campaigns_tracking_parameters()
    {
        var day = new DateOnly(2025, 3, 10);
        var source = new OneReport(
            [new DirectCampaign(800, "Динамические объявления", "ON", "ACCEPTED", "DYNAMIC_TEXT_CAMPAIGN", "utm_source=yandex&utm_campaign=ekb_rock_2025&utm_content={ad_id}")],
            [new DirectAd(80, 8, 800, "ON", "ACCEPTED", "DYNAMIC_TEXT_AD", "", "")],
            new DirectAdDays(day, day, [new DirectAdDay(day, 800, "Динамические объявления", 8, "Группа", 80, 100, 2, 40m)]));

        await new YandexDirectSync(Store, source, new YandexDirectOptions()).RunAsync(new AdSyncRequest { From = day, To = day });

        Assert.Equal("екатеринбург\tyandex\tekb_rock_2025\t40", await PipelineQueries.TextAsync(Store,
            "SELECT city, utm_source, utm_campaign, spend FROM bi.v_ad_spend_daily WHERE source = 'yandex_direct'"));
        Assert.Equal("80", await PipelineQueries.TextAsync(Store, "SELECT utm_content FROM zakaz.dim_yandex_direct_objects FINAL WHERE object_type = 'ad'"));
    }

    private async Task<YandexDirectSyncResult> SyncAsync(YandexDirectSandbox sandbox, AdSyncRequest request, string? token = null)
    {
        using var client = YandexDirectSource.Create(new YandexDirectClientOptions
        {
            BaseUrl = sandbox.BaseUrl,
            Token = token ?? sandbox.Token,
            ReportDays = 31,
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        });
        return await new YandexDirectSync(Store, client, new YandexDirectOptions()).RunAsync(request);
    }

    private static List<(DateOnly, string, decimal)> Expected(IReadOnlyDictionary<(DateOnly Date, string City), AdFigures> truth) =>
        [.. truth.Where(p => p.Value.Spend != 0).Select(p => (p.Key.Date, p.Key.City, p.Value.Spend)).Order()];

    private async Task<List<(DateOnly, string, decimal)>> DirectSpendByDayCityAsync()
    {
        var rows = await Store.QueryAsync(
            "SELECT d, city, sum(spend) AS spend FROM bi.v_ad_spend_daily WHERE source = 'yandex_direct' GROUP BY d, city HAVING spend != 0");
        return [.. Enumerable.Range(0, rows.Rows.Count).Select(i => (rows.Get<DateOnly>(i, 0), rows.Get<string>(i, 1), rows.Get<decimal>(i, 2))).Order()];
    }

    private Task<string> BiSnapshotAsync() => PipelineQueries.TextAsync(Store, """
        SELECT *
        FROM
        (
            SELECT 'spend', d, source, city, event_id, campaign_id, campaign_name, utm_source, utm_campaign, impressions, clicks, spend FROM bi.v_ad_spend_daily
            UNION ALL
            SELECT 'roi', d, '', city, 0, 0, '', '', '', impressions, clicks, spend FROM bi.v_marketing_roi_daily
        )
        ORDER BY ALL
        """);

    /// <summary>A Direct account of given objects whose report is one part, for what the sync does with rows no sandbox sends.</summary>
    private sealed class OneReport(IReadOnlyList<DirectCampaign> campaigns, IReadOnlyList<DirectAd> ads, DirectAdDays report) : IYandexDirectSource
    {
        public int Requests => 0;

        public string? Units => null;

        public Task<IReadOnlyList<DirectCampaign>> ListCampaignsAsync(CancellationToken cancellationToken = default) => Task.FromResult(campaigns);

        public Task<IReadOnlyList<DirectAdGroup>> ListAdGroupsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<DirectAdGroup>>([]);

        public Task<IReadOnlyList<DirectAd>> ListAdsAsync(IReadOnlyCollection<long> campaignIds, CancellationToken cancellationToken = default) => Task.FromResult(ads);

        public async IAsyncEnumerable<DirectAdDays> ReadAdDaysAsync(DateOnly from, DateOnly to, string runId, IProgress<string>? progress = null,
            [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return report;
        }

        public Task CheckAccessAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
    }
}
