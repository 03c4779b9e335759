using Zakaz.Pipeline.Facts;
using Zakaz.Testing;
using static Zakaz.Pipeline.Tests.Staging;

namespace Zakaz.Pipeline.Tests;

/// <summary>
/// The bi views over rebuilt facts, against values computed by hand. One day, 2025-01-20:
/// томск has two events with sales (2000 + 3000) and spend on both plus spend on the city alone;
/// казань has spend and no sales; екатеринбург has sales and no spend; one banner has no city.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class BiViewTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateOnly Jan20 = new(2025, 1, 20);

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        var staging = new Staging(schema.Store);
        await staging.Event(101, "Концерт А", "томск");
        await staging.Event(102, "Концерт Б", "томск");
        await staging.Event(301, "Концерт В", "екатеринбург");

        var paid = Msk(2025, 1, 20);
        await staging.Order(new Order(1, 101, paid) { UtmSource = "vk", UtmCampaign = "winter" });
        await staging.Baskets(new Basket(11, 1, 101, 1000m, paid), new Basket(12, 1, 101, 1000m, paid));
        await staging.Order(new Order(2, 102, paid) { UtmSource = "vk", UtmCampaign = "spring" });
        await staging.Baskets(new Basket(21, 2, 102, 3000m, paid));
        await staging.Sale(3, 301, paid, 2500m);
        // Not sales; present so the views prove they never surface them (and never as 1970-01-01).
        await staging.Order(new Order(4, 101, null) { CreatedAt = paid });
        await staging.Baskets(new Basket(41, 4, 101, 999m, paid));
        await staging.Order(new Order(5, 102, paid) { Payed = false });
        await staging.Baskets(new Basket(51, 5, 102, 999m, paid));

        await staging.AdStats(
            new AdStat(Jan20, 1, "томск", 101, 500m, 50, 5000) { UtmSource = "vk", UtmCampaign = "winter" },
            new AdStat(Jan20, 2, "томск", 102, 300m, 30, 3000) { UtmSource = "vk", UtmCampaign = "spring" },
            new AdStat(Jan20, 5, "томск", 0, 200m, 20, 2000) { UtmSource = "vk", UtmCampaign = "winter" },
            new AdStat(Jan20, 7, "казань", 0, 750m, 25, 1000) { UtmSource = "vk", UtmCampaign = "autumn" },
            new AdStat(Jan20, 6, "", 0, 125.5m, 5, 500));

        await staging.Plans(
            new Plan(Jan20, 101, "томск", 5, 4000m),
            new Plan(new DateOnly(2025, 1, 21), 102, "томск", 3, 1500m));

        await new FactBuilder(schema.Store).RebuildAllAsync();
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task City_roi_adds_spend_once_per_city_and_keeps_cities_with_only_one_side()
    {
        // d, city, revenue, orders, tickets_sold, spend, clicks, impressions, roas, romi, cpo, cpt, cpc
        Assert.Equal(
            "2025-01-20\tunknown\t0\t0\t0\t125.5\t5\t500\t0\t-1\t\\N\t\\N\t25.1\n" +
            "2025-01-20\tекатеринбург\t2500\t1\t1\t0\t0\t0\t\\N\t\\N\t0\t0\t\\N\n" +
            "2025-01-20\tказань\t0\t0\t0\t750\t25\t1000\t0\t-1\t\\N\t\\N\t30\n" +
            "2025-01-20\tтомск\t5000\t2\t3\t1000\t100\t10000\t5\t4\t500\t333.33\t10",
            await Text("SELECT * FROM bi.v_marketing_roi_daily ORDER BY d, city"));
        Assert.Equal("1000", await Text("SELECT sum(spend) FROM zakaz.dm_vk_ads_daily FINAL WHERE stat_date = '2025-01-20' AND city = 'томск'"));
    }

    [Fact]
    public async Task Campaign_roi_matches_order_and_banner_utms()
    {
        // d, source, utm_campaign, revenue, orders, spend, roas, romi, cpo
        Assert.Equal(
            "2025-01-20\t\t\t2500\t1\t125.5\t19.9203\t18.9203\t125.5\n" +
            "2025-01-20\tvk\tautumn\t0\t0\t750\t0\t-1\t\\N\n" +
            "2025-01-20\tvk\tspring\t3000\t1\t300\t10\t9\t300\n" +
            "2025-01-20\tvk\twinter\t2000\t1\t700\t2.8571\t1.8571\t700",
            await Text("SELECT * FROM bi.v_romi_by_campaign ORDER BY d, source, utm_campaign"));
    }

    [Fact]
    public async Task Sales_view_shows_each_event_with_its_average_price()
    {
        // d, city, event_id, event_name, orders, tickets_sold, revenue, avg_ticket_price
        Assert.Equal(
            "2025-01-20\tекатеринбург\t301\tКонцерт В\t1\t1\t2500\t2500\n" +
            "2025-01-20\tтомск\t101\tКонцерт А\t1\t2\t2000\t1000\n" +
            "2025-01-20\tтомск\t102\tКонцерт Б\t1\t1\t3000\t3000",
            await Text("SELECT * FROM bi.v_sales_daily ORDER BY d, city, event_id"));
    }

    [Fact]
    public async Task Plan_vs_fact_compares_revenue_and_tickets_with_or_without_a_plan()
    {
        // d, event_id, city, plan_tickets, plan_revenue, fact_tickets, fact_revenue, diff, diff_pct, diff_tickets
        Assert.Equal(
            "2025-01-20\t101\tтомск\t5\t4000\t2\t2000\t-2000\t-0.5\t-3\n" +
            "2025-01-20\t102\tтомск\t0\t0\t1\t3000\t3000\t\\N\t1\n" +
            "2025-01-20\t301\tекатеринбург\t0\t0\t1\t2500\t2500\t\\N\t1\n" +
            "2025-01-21\t102\tтомск\t3\t1500\t0\t0\t-1500\t-1\t-3",
            await Text("SELECT * FROM bi.v_plan_vs_fact ORDER BY d, event_id"));
    }

    [Fact]
    public async Task The_marts_hold_the_rows_of_the_views_they_store_also_after_a_key_lost_everything()
    {
        await AssertMartsEqualViewsAsync();

        // казань's only banner is restated to nothing, and order 3 is refunded: both keys leave the
        // views, so the marts must rewrite them with zeros, not keep the old totals.
        await new Staging(schema.Store).AdStats(new AdStat(Jan20, 7, "казань", 0, 0m, 0, 0) { UtmSource = "vk", UtmCampaign = "autumn", Ver = 2 });
        await new Staging(schema.Store).Baskets(new Basket(300, 3, 301, 2500m, Msk(2025, 1, 20)) { RefundedAt = Msk(2025, 1, 21), RefundedAmount = 2500m, Ver = 2 });
        await new FactBuilder(schema.Store).RebuildAsync(Jan20, Jan20);

        Assert.Equal("", await Text("SELECT city FROM bi.v_marketing_daily_mart WHERE city IN ('казань', 'екатеринбург')"));
        await AssertMartsEqualViewsAsync();
    }

    private async Task AssertMartsEqualViewsAsync()
    {
        foreach (var (view, columns) in new[]
                 {
                     ("bi.v_marketing_daily", "d, city, event_id, revenue, orders, tickets_sold, spend, clicks, impressions"),
                     ("bi.v_campaign_daily", "d, city, event_id, source, campaign, revenue, orders, spend, clicks, impressions"),
                     ("bi.v_plan_vs_fact", "d, event_id, city, plan_tickets, plan_revenue, fact_tickets, fact_revenue, diff, diff_pct, diff_tickets"),
                 })
        {
            var sql = $"SELECT {columns} FROM {{0}} ORDER BY {columns}";
            var live = await Text(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, view));
            Assert.NotEqual("", live);
            Assert.Equal(live, await Text(string.Format(System.Globalization.CultureInfo.InvariantCulture, sql, view + "_mart")));
        }
    }

    [Fact]
    public async Task Sales_by_minute_are_the_sales_of_the_daily_facts_at_their_moscow_minute()
    {
        // The unpaid and never-paid orders 4 and 5 are no sales; the others were paid at 12:00 Moscow time, minute 720.
        Assert.Equal(
            "2025-01-20\t720\t101\tтомск\t1\t2\t2000\n" +
            "2025-01-20\t720\t102\tтомск\t1\t1\t3000\n" +
            "2025-01-20\t720\t301\tекатеринбург\t1\t1\t2500",
            await Text("SELECT d, sale_minute, event_id, city, orders, tickets_sold, revenue FROM bi.v_sales_by_minute ORDER BY ALL"));
        var daily = "SELECT d, event_id, city, sum(orders), sum(tickets_sold), sum(revenue) FROM {0} GROUP BY d, event_id, city ORDER BY ALL";
        Assert.Equal(
            await Text(string.Format(System.Globalization.CultureInfo.InvariantCulture, daily, "bi.v_sales_daily")),
            await Text(string.Format(System.Globalization.CultureInfo.InvariantCulture, daily, "bi.v_sales_by_minute")));
    }

    [Fact]
    public async Task No_fact_or_view_holds_a_row_dated_1970_01_01()
    {
        var dated = await schema.Store.QueryAsync("""
            SELECT database, table, name FROM system.columns
            WHERE database IN ('zakaz', 'bi') AND name IN ('d', 'sales_date', 'stat_date')
              AND (database = 'bi' OR table LIKE 'fact\_%' OR table LIKE 'dm\_%')
            ORDER BY database, table
            """);
        var checkedObjects = new List<string>();
        foreach (var row in dated.Rows)
        {
            var name = $"{row[0]}.{row[1]}";
            var column = (string)row[2]!;
            var counts = await Text($"SELECT countIf({column} = '1970-01-01'), count() > 0 FROM {name}");
            Assert.True(counts == "0\t1", $"{name}.{column}: {counts} (rows dated 1970-01-01, has rows)");
            checkedObjects.Add(name);
        }
        Assert.Equal(
            ["bi.v_ad_spend_daily", "bi.v_campaign_daily", "bi.v_campaign_daily_mart", "bi.v_marketing_daily", "bi.v_marketing_daily_mart", "bi.v_marketing_roi_by_event", "bi.v_marketing_roi_daily", "bi.v_marketing_source_daily", "bi.v_marketing_source_daily_mart", "bi.v_plan_vs_fact", "bi.v_plan_vs_fact_mart", "bi.v_romi_by_campaign", "bi.v_sales_by_minute", "bi.v_sales_daily", "bi.v_vk_ads_daily",
             "zakaz.dm_ads_daily", "zakaz.dm_campaign_daily", "zakaz.dm_marketing_daily", "zakaz.dm_marketing_source_daily", "zakaz.dm_plan_vs_fact_daily", "zakaz.dm_vk_ads_daily", "zakaz.fact_qtickets_sales_daily", "zakaz.fact_qtickets_sales_minutely", "zakaz.fact_qtickets_sales_utm_daily"],
            checkedObjects);
    }

    private Task<string> Text(string sql) => PipelineQueries.TextAsync(schema.Store, sql);
}
