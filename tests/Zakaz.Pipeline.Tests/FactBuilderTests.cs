using Zakaz.Pipeline.Facts;
using Zakaz.Storage;
using Zakaz.Testing;
using static Zakaz.Pipeline.Tests.Staging;

namespace Zakaz.Pipeline.Tests;

/// <summary>The sales facts and the ad mart follow the business rules (data-model.md section 4), from hand-written staging.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class FactBuilderTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateOnly Jan10 = new(2025, 1, 10);
    private static readonly DateOnly Jan31 = new(2025, 1, 31);

    private readonly Staging _staging = new(schema.Store);
    private readonly FactBuilder _facts = new(schema.Store);

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        await _staging.Event(101, "Концерт А", "томск");
        await _staging.Event(102, "Концерт Б", "томск");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_order_ingested_twice_counts_once_before_any_merge()
    {
        var paid = Msk(2025, 1, 10);
        await _staging.Order(new Order(1, 101, paid) { Ver = 1 });
        await _staging.Order(new Order(1, 101, paid) { Ver = 2 });
        await _staging.Baskets(new Basket(11, 1, 101, 1000m, paid) { Ver = 1 });
        await _staging.Baskets(new Basket(11, 1, 101, 1000m, paid) { Ver = 2 });

        await _facts.RebuildAsync(Jan10, Jan10);

        Assert.Equal(2UL, await Scalar<ulong>("SELECT count() FROM zakaz.stg_qtickets_api_orders_raw"));
        Assert.Equal([(Jan10, 101UL, "томск", 1UL, 1UL, 1000m, 0m)], await SalesFact());
    }

    [Fact]
    public async Task A_refund_lowers_the_original_sale_date_and_shows_as_refunded_amount()
    {
        var paid = Msk(2025, 1, 10);
        await _staging.Sale(2, 101, paid, 1500m, 2500m);
        await _facts.RebuildAsync(Jan10, Jan10);
        Assert.Equal([(Jan10, 101UL, "томск", 1UL, 2UL, 4000m, 0m)], await SalesFact());

        var refunded = Msk(2025, 1, 15);
        await _staging.Baskets(new Basket(201, 2, 101, 2500m, paid) { RefundedAt = refunded, RefundedAmount = 2500m, Ver = 2 });
        await _facts.RebuildForLoadAsync([Jan10, new DateOnly(2025, 1, 15)]);

        Assert.Equal([(Jan10, 101UL, "томск", 1UL, 1UL, 1500m, 2500m)], await SalesFact());
    }

    [Fact]
    public async Task A_day_whose_every_order_is_refunded_or_cancelled_reads_zero()
    {
        var paid = Msk(2025, 1, 12);
        await _staging.Sale(3, 101, paid, 1200m);
        await _staging.Sale(4, 102, paid, 800m);
        await _facts.RebuildAsync(Jan10, Jan31);
        Assert.Equal(2UL, await Scalar<ulong>("SELECT count() FROM bi.v_sales_daily WHERE d = '2025-01-12'"));

        await _staging.Baskets(new Basket(300, 3, 101, 1200m, paid) { RefundedAt = Msk(2025, 1, 13), RefundedAmount = 1200m, Ver = 2 });
        await _staging.Order(new Order(4, 102, paid) { DeletedAt = Msk(2025, 1, 13), Ver = 2 });
        var result = await _facts.RebuildAsync(Jan10, Jan31);

        Assert.Equal(0UL, await Scalar<ulong>("SELECT count() FROM bi.v_sales_daily WHERE d = '2025-01-12'"));
        Assert.Equal("0\t0\t0\t1200", await Text("""
            SELECT sum(orders), sum(tickets_sold), sum(revenue), sum(refunded_amount)
            FROM zakaz.fact_qtickets_sales_daily FINAL WHERE sales_date = '2025-01-12'
            """));
        Assert.Equal("0\t0\t0", await Text("""
            SELECT sum(orders), sum(tickets_sold), sum(revenue)
            FROM zakaz.fact_qtickets_sales_utm_daily FINAL WHERE sales_date = '2025-01-12'
            """));
        // Event 101 keeps a row for its refund; event 102's cancelled order left a key that was zeroed.
        Assert.Equal(new FactTableRebuild(FactBuilder.SalesDaily, 2, 1), result.Tables.Single(t => t.Table == FactBuilder.SalesDaily));
    }

    [Fact]
    public async Task Cancelled_unpaid_and_unrefunded_rules_decide_what_counts()
    {
        var paid = Msk(2025, 1, 10);
        await _staging.Sale(5, 101, paid, 1000m);
        await _staging.Order(new Order(6, 101, paid) { Payed = false });
        await _staging.Baskets(new Basket(601, 6, 101, 700m, paid));
        await _staging.Order(new Order(7, 101, paid) { DeletedAt = Msk(2025, 1, 11) });
        await _staging.Baskets(new Basket(701, 7, 101, 900m, paid));
        // A paid order without a payment time is not a sale: it must not land on 1970-01-01.
        await _staging.Order(new Order(8, 101, null) { CreatedAt = paid });
        await _staging.Baskets(new Basket(801, 8, 101, 400m, paid));
        // A deleted basket never counts; a basket without quantity (0) counts as one ticket; two seats count two.
        await _staging.Order(new Order(9, 101, paid));
        await _staging.Baskets(
            new Basket(901, 9, 101, 300m, paid) { DeletedAt = Msk(2025, 1, 10, 13) },
            new Basket(902, 9, 101, 350m, paid) { Quantity = 0 },
            new Basket(903, 9, 101, 600m, paid) { Quantity = 2 });

        await _facts.RebuildAllAsync();

        Assert.Equal([(Jan10, 101UL, "томск", 2UL, 4UL, 1950m, 0m)], await SalesFact());
    }

    [Fact]
    public async Task The_sale_date_is_the_payment_date_in_Moscow_and_unknown_events_go_under_unknown()
    {
        // 22:30 UTC on the 10th is 01:30 on the 11th in Moscow.
        await _staging.Sale(10, 101, new DateTimeOffset(2025, 1, 10, 22, 30, 0, TimeSpan.Zero), 1000m);
        await _staging.Sale(11, 999, Msk(2025, 1, 11), 500m);

        await _facts.RebuildAsync(Jan10, Jan31);

        var jan11 = new DateOnly(2025, 1, 11);
        Assert.Equal([(jan11, 101UL, "томск", 1UL, 1UL, 1000m, 0m), (jan11, 999UL, "unknown", 1UL, 1UL, 500m, 0m)], await SalesFact());
    }

    [Fact]
    public async Task Rebuilding_twice_changes_nothing_a_reader_sees()
    {
        await SeedMixedDayAsync();
        var first = await _facts.RebuildAsync(Jan10, Jan31);
        var before = await ReaderSnapshot();

        var second = await _facts.RebuildAsync(Jan10, Jan31);

        Assert.True(second.Version > first.Version);
        Assert.Equal(before, await ReaderSnapshot());
        Assert.Equal(first.Tables, second.Tables);
    }

    [Fact]
    public async Task The_utm_fact_splits_by_campaign_with_normalised_values()
    {
        var paid = Msk(2025, 1, 10);
        await _staging.Order(new Order(20, 101, paid) { UtmSource = "VK ", UtmMedium = "cpc", UtmCampaign = " Winter_Sale" });
        await _staging.Baskets(new Basket(2001, 20, 101, 1000m, paid), new Basket(2002, 20, 101, 1000m, paid));
        await _staging.Order(new Order(21, 101, paid) { UtmSource = "vk", UtmMedium = "cpc", UtmCampaign = "winter_sale" });
        await _staging.Baskets(new Basket(2101, 21, 101, 500m, paid));
        await _staging.Order(new Order(22, 101, paid) { UtmSource = "vk", UtmMedium = "cpc", UtmCampaign = "spring" });
        await _staging.Baskets(new Basket(2201, 22, 101, 700m, paid));
        await _staging.Sale(23, 101, paid, 300m);

        await _facts.RebuildAsync(Jan10, Jan10);

        Assert.Equal(
            "\t\t\t1\t1\t300\n" +
            "vk\tcpc\tspring\t1\t1\t700\n" +
            "vk\tcpc\twinter_sale\t2\t3\t2500",
            await Text("""
                SELECT utm_source, utm_medium, utm_campaign, orders, tickets_sold, revenue
                FROM zakaz.fact_qtickets_sales_utm_daily FINAL ORDER BY utm_source, utm_campaign
                """));
        Assert.Equal([(Jan10, 101UL, "томск", 4UL, 5UL, 3500m, 0m)], await SalesFact());
    }

    [Fact]
    public async Task The_ad_mart_sums_banners_per_city_and_event_and_keeps_unassigned_spend_under_unknown()
    {
        await _staging.AdStats(
            new AdStat(Jan10, 1, "томск", 101, 500m, 50, 5000),
            new AdStat(Jan10, 2, " Томск", 101, 250.5m, 20, 1000),
            new AdStat(Jan10, 3, "", 0, 99.99m, 9, 900),
            new AdStat(Jan10, 4, "казань", 0, 10m, 1, 100));
        await _staging.AdStats(new AdStat(Jan10, 4, "казань", 0, 12m, 2, 150) { Ver = 2 });

        var result = await _facts.RebuildAsync(Jan10, Jan10);

        Assert.Equal(
            "2025-01-10\tunknown\t0\t900\t9\t99.99\n" +
            "2025-01-10\tказань\t0\t150\t2\t12\n" +
            "2025-01-10\tтомск\t101\t6000\t70\t750.5",
            await Text("SELECT stat_date, city, event_id, impressions, clicks, spend FROM zakaz.dm_vk_ads_daily FINAL ORDER BY city"));
        Assert.Equal(new FactTableRebuild(FactBuilder.VkAdsDaily, 3, 0), result.Tables.Single(t => t.Table == FactBuilder.VkAdsDaily));
    }

    [Fact]
    public async Task A_load_rebuilds_only_the_days_it_touched_with_one_version_above_any_existing()
    {
        var future = 4_102_444_800_000UL; // 2100-01-01 in ms: a clock that was ahead once
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.fact_qtickets_sales_daily (sales_date, event_id, city, orders, tickets_sold, revenue, refunded_amount, _ver)
            VALUES ('2025-01-11', 101, 'томск', 9, 9, 9000, 0, {future:UInt64}), ('2025-01-12', 101, 'томск', 5, 5, 5000, 0, 1)
            """, new QueryParameters().Add("future", future));
        await _staging.Sale(30, 101, Msk(2025, 1, 10), 100m);
        await _staging.Sale(31, 101, Msk(2025, 1, 13), 200m);

        var result = await _facts.RebuildForLoadAsync([new DateOnly(2025, 1, 13), Jan10, new DateOnly(2025, 1, 11), Jan10]);

        Assert.Equal([new DateRange(Jan10, new DateOnly(2025, 1, 11)), new DateRange(new DateOnly(2025, 1, 13), new DateOnly(2025, 1, 13))], result.Ranges);
        Assert.Equal(future + 1, result.Version);
        // The 11th was touched and is zeroed despite its later version; the 12th was not touched and keeps its row.
        Assert.Equal(
            [
                (Jan10, 101UL, "томск", 1UL, 1UL, 100m, 0m),
                (new DateOnly(2025, 1, 11), 101UL, "томск", 0UL, 0UL, 0m, 0m),
                (new DateOnly(2025, 1, 12), 101UL, "томск", 5UL, 5UL, 5000m, 0m),
                (new DateOnly(2025, 1, 13), 101UL, "томск", 1UL, 1UL, 200m, 0m),
            ],
            await SalesFact());
    }

    [Fact]
    public async Task Nothing_in_staging_means_nothing_to_rebuild()
    {
        var result = await _facts.RebuildAllAsync();

        Assert.Empty(result.Ranges);
        Assert.Equal(0, result.RowsWritten);
    }

    /// <summary>Sales, a refund, a cancellation and spend on a few days: enough for every table to hold zeros and values.</summary>
    private async Task SeedMixedDayAsync()
    {
        var paid = Msk(2025, 1, 10);
        await _staging.Sale(40, 101, paid, 1000m, 2000m);
        await _staging.Baskets(new Basket(4001, 40, 101, 2000m, paid) { RefundedAt = Msk(2025, 1, 11), RefundedAmount = 2000m, Ver = 2 });
        await _staging.Order(new Order(41, 102, Msk(2025, 1, 11)) { UtmSource = "vk", UtmCampaign = "winter" });
        await _staging.Baskets(new Basket(4101, 41, 102, 3000m, Msk(2025, 1, 11)));
        await _staging.AdStats(new AdStat(Jan10, 1, "томск", 101, 500m, 50, 5000), new AdStat(new DateOnly(2025, 1, 11), 2, "", 0, 10m, 1, 10));
    }

    private async Task<string> ReaderSnapshot() => string.Join("\n---\n",
        await Text("SELECT * EXCEPT (_ver, _loaded_at) FROM zakaz.fact_qtickets_sales_daily FINAL ORDER BY ALL"),
        await Text("SELECT * EXCEPT (_ver, _loaded_at) FROM zakaz.fact_qtickets_sales_utm_daily FINAL ORDER BY ALL"),
        await Text("SELECT * EXCEPT (_ver, _loaded_at) FROM zakaz.dm_vk_ads_daily FINAL ORDER BY ALL"),
        await Text("SELECT * FROM bi.v_sales_daily ORDER BY ALL"),
        await Text("SELECT * FROM bi.v_marketing_roi_daily ORDER BY ALL"),
        await Text("SELECT * FROM bi.v_romi_by_campaign ORDER BY ALL"));

    private async Task<(DateOnly, ulong, string, ulong, ulong, decimal, decimal)[]> SalesFact()
    {
        var result = await schema.Store.QueryAsync("""
            SELECT sales_date, event_id, toString(city), orders, tickets_sold, revenue, refunded_amount
            FROM zakaz.fact_qtickets_sales_daily FINAL
            ORDER BY sales_date, event_id, city
            """);
        return Enumerable.Range(0, result.Rows.Count)
            .Select(i => (result.Get<DateOnly>(i, 0), result.Get<ulong>(i, 1), result.Get<string>(i, 2), result.Get<ulong>(i, 3),
                result.Get<ulong>(i, 4), result.Get<decimal>(i, 5), result.Get<decimal>(i, 6)))
            .ToArray();
    }

    private async Task<T> Scalar<T>(string sql) => (await schema.Store.QueryAsync(sql)).Scalar<T>();

    private Task<string> Text(string sql) => PipelineQueries.TextAsync(schema.Store, sql);
}
