using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Reports;
using Zakaz.Testing;
using static Zakaz.Pipeline.Tests.PipelineQueries;
using static Zakaz.Pipeline.Tests.Staging;

namespace Zakaz.Pipeline.Tests.Reports;

/// <summary>
/// The ROI report per grain over a hand-computed scenario: two cities, three campaigns, one banner no
/// rule mapped. Tomsk: 2 500 ₽ of sales (2 orders, 3 tickets) for 1 000 ₽ and 100 clicks; Moscow:
/// 3 000 ₽ (1 order, 1 ticket) for 4 000 ₽ and 200 clicks; unmapped: 500 ₽ and 50 clicks on the 11th.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class RoiReportTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateOnly Jan10 = new(2025, 1, 10);
    private static readonly DateOnly Jan11 = new(2025, 1, 11);

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        var staging = new Staging(schema.Store);
        await staging.Event(101, "Концерт А", "томск");
        await staging.Event(102, "Концерт Б", "москва");
        await staging.Order(new Order(1, 101, Msk(2025, 1, 10)) { UtmSource = "vk", UtmCampaign = "tomsk_a" });
        await staging.Baskets(new Basket(11, 1, 101, 1000m, Msk(2025, 1, 10)), new Basket(12, 1, 101, 1000m, Msk(2025, 1, 10)));
        await staging.Order(new Order(2, 102, Msk(2025, 1, 10)) { UtmSource = "VK", UtmCampaign = "MSK_B" });
        await staging.Baskets(new Basket(21, 2, 102, 3000m, Msk(2025, 1, 10)));
        await staging.Sale(3, 101, Msk(2025, 1, 11), 500m);
        await staging.AdStats(
            new AdStat(Jan10, 1, "томск", 101, 1000m, 100, 10_000) { UtmSource = "vk", UtmCampaign = "tomsk_a" },
            new AdStat(Jan10, 2, "москва", 102, 4000m, 200, 20_000) { UtmSource = "vk", UtmCampaign = "msk_b" },
            new AdStat(Jan11, 3, "", 0, 500m, 50, 5_000) { UtmSource = "vk", UtmCampaign = "promo" });
        await new FactBuilder(schema.Store).RebuildAsync(Jan10, Jan11);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task By_city_unmapped_spend_shows_as_unknown_and_the_total_is_computed_from_sums() =>
        Assert.Equal(Rows(
            "москва\t4000\t3000\t1\t1\t200\t0.75\t-0.25\t4000\t4000\t20",
            "томск\t1000\t2500\t2\t3\t100\t2.5\t1.5\t500\t333.33\t10",
            "unknown\t500\t0\t0\t0\t50\t0\t-1\t\\N\t\\N\t10",
            "total\t5500\t5500\t3\t4\t350\t1\t0\t1833.33\t1375\t15.71"), await Report(RoiGrain.City));

    [Fact]
    public async Task By_day() =>
        Assert.Equal(Rows(
            "2025-01-10\t5000\t5000\t2\t3\t300\t1\t0\t2500\t1666.67\t16.67",
            "2025-01-11\t500\t500\t1\t1\t50\t1\t0\t500\t500\t10",
            "total\t5500\t5500\t3\t4\t350\t1\t0\t1833.33\t1375\t15.71"), await Report(RoiGrain.Day));

    [Fact]
    public async Task By_campaign_utm_values_meet_case_insensitively_and_untagged_sales_have_no_ratio() =>
        Assert.Equal(Rows(
            "vk\tmsk_b\t4000\t3000\t1\t0.75\t-0.25\t4000",
            "vk\ttomsk_a\t1000\t2000\t1\t2\t1\t1000",
            "vk\tpromo\t500\t0\t0\t0\t-1\t\\N",
            "\t\t0\t500\t1\t\\N\t\\N\t0",
            "total\t\t5500\t5500\t3\t1\t0\t1833.33"), await Report(RoiGrain.Campaign));

    [Fact]
    public async Task By_event_spend_without_an_event_stays_under_event_0() =>
        Assert.Equal(Rows(
            "102\tКонцерт Б\tмосква\t4000\t3000\t1\t1\t200\t0.75\t-0.25\t4000\t4000\t20",
            "101\tКонцерт А\tтомск\t1000\t2500\t2\t3\t100\t2.5\t1.5\t500\t333.33\t10",
            "0\t\t\t500\t0\t0\t0\t50\t0\t-1\t\\N\t\\N\t10",
            "total\t\t\t5500\t5500\t3\t4\t350\t1\t0\t1833.33\t1375\t15.71"), await Report(RoiGrain.Event));

    [Fact]
    public async Task A_period_counts_only_its_days_and_a_day_without_spend_has_no_ratios() =>
        Assert.Equal(Rows(
            "unknown\t500\t0\t0\t0\t50\t0\t-1\t\\N\t\\N\t10",
            "томск\t0\t500\t1\t1\t0\t\\N\t\\N\t0\t0\t\\N",
            "total\t500\t500\t1\t1\t50\t1\t0\t500\t500\t10"), await Report(RoiGrain.City, Jan11, Jan11));

    private Task<string> Report(RoiGrain grain, DateOnly? from = null, DateOnly? to = null)
    {
        var (sql, parameters) = RoiReport.Query(grain, from, to);
        return TextAsync(schema.Store, sql, parameters);
    }

    private static string Rows(params string[] rows) => string.Join("\n", rows);
}
