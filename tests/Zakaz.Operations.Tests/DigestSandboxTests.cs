using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;
using Zakaz.Operations.Digest;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Plans;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Reports;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.VkAds;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sandbox.YandexDirect;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Operations.Tests;

/// <summary>
/// A promoter loaded from the Qtickets, VK Ads and Yandex Direct sandboxes through the real syncs, with a plan imported
/// for the month: every figure of yesterday's digest is checked against a query of the bi views written here.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class DigestSandboxTests(ZakazSchemaFixture schema, ITestOutputHelper output) : IAsyncLifetime
{
    // Now, to the minute: bi.v_event_inventory and bi.v_ops_freshness read the store's own clock.
    private static readonly DateTimeOffset Anchor = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);

    private readonly FakeTimeProvider _clock = new(Anchor);

    private IClickHouseStore Store => schema.Store;

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Every_figure_of_yesterdays_digest_equals_the_bi_views()
    {
        await LoadPromoterAsync();
        var query = new MorningDigestQuery(Store, _clock);
        var day = query.Yesterday;

        var digest = await query.ReadAsync(day);

        Assert.Equal(RussianFormat.MoscowDate(Anchor).AddDays(-1), day);
        foreach (var sales in new[] { digest.Sales, digest.DayBefore, digest.WeekBefore })
        {
            var row = await QueryAsync("SELECT sum(orders), sum(tickets_sold), sum(revenue) FROM bi.v_sales_daily WHERE d = {d:Date}", ("d", sales.Date));
            Assert.Equal((row.Get<ulong>(0, 0), row.Get<ulong>(0, 1), row.Get<decimal>(0, 2)), (sales.Orders, sales.Tickets, sales.Revenue));
        }
        Assert.Equal([day, day.AddDays(-1), day.AddDays(-7)], new[] { digest.Sales, digest.DayBefore, digest.WeekBefore }.Select(s => s.Date));
        Assert.True(digest.Sales.HasSales, "the sandbox sells every day");

        var spend = await QueryAsync("SELECT source, sum(spend) FROM bi.v_ad_spend_daily WHERE d = {d:Date} GROUP BY source ORDER BY source", ("d", day));
        Assert.Equal(Enumerable.Range(0, spend.Rows.Count).Select(i => new PlatformSpend(spend.Get<string>(i, 0), spend.Get<decimal>(i, 1))), digest.Spend);
        Assert.Equal(2, digest.Spend.Count);

        Assert.Equal((day.AddDays(-6), day), (digest.Roi.From, digest.Roi.To));
        var cities = await QueryAsync("""
            SELECT city, sum(spend), sum(revenue) FROM bi.v_marketing_roi_daily WHERE d BETWEEN {from:Date} AND {to:Date} GROUP BY city HAVING sum(spend) != 0
            """, ("from", digest.Roi.From), ("to", digest.Roi.To));
        var expected = Enumerable.Range(0, cities.Rows.Count)
            .Select(i => (City: cities.Get<string>(i, 0), Spend: cities.Get<decimal>(i, 1), Revenue: cities.Get<decimal>(i, 2)))
            .ToArray();
        Assert.Equal(expected.Where(c => c.City == "unknown").Sum(c => c.Spend), digest.Roi.SpendWithoutCity);
        Assert.Equal(expected.Where(c => c.City != "unknown").OrderBy(c => c.City, StringComparer.Ordinal),
            digest.Roi.Cities.Select(c => (c.City, c.Spend, c.Revenue)).OrderBy(c => c.City, StringComparer.Ordinal));
        foreach (var city in digest.Roi.Cities)
        {
            Assert.Equal((double)((city.Revenue - city.Spend) / city.Spend), city.Romi, 0.00005);
        }
        Assert.Equal(digest.Roi.Cities.OrderBy(c => c.Romi).Select(c => c.City), digest.Roi.Cities.Select(c => c.City));

        var inventory = await QueryAsync("""
            SELECT event_id, toDate(start_date), toDate(coalesce(end_date, start_date)), left, tickets_7d, projected_sellout_date
            FROM bi.v_event_inventory WHERE start_date IS NOT NULL
            """);
        var today = RussianFormat.MoscowDate(Anchor);
        var atRisk = Enumerable.Range(0, inventory.Rows.Count)
            .Where(i => inventory.Get<DateOnly>(i, 2) >= today && (inventory.Get<ulong?>(i, 3) ?? 0) > 0 &&
                (inventory.Get<ulong>(i, 4) == 0 || inventory.Get<DateOnly?>(i, 5) > inventory.Get<DateOnly>(i, 2)))
            .OrderBy(i => inventory.Get<DateOnly>(i, 1)).ThenBy(i => inventory.Get<ulong>(i, 0))
            .Select(i => inventory.Get<ulong>(i, 0));
        Assert.Equal(atRisk, digest.EventsAtRisk.Select(e => e.EventId));

        var plan = Assert.IsType<PlanToDate>(digest.Plan);
        var first = new DateOnly(day.Year, day.Month, 1);
        var totals = await QueryAsync("""
            SELECT sumIf(plan_revenue, d <= {d:Date}), sumIf(fact_revenue, d <= {d:Date}), sumIf(plan_tickets, d <= {d:Date}),
                   sumIf(fact_tickets, d <= {d:Date}), sum(plan_revenue), sum(plan_tickets)
            FROM bi.v_plan_vs_fact
            WHERE d BETWEEN {first:Date} AND {last:Date}
              AND (event_id, city) IN (SELECT event_id, city FROM zakaz.plan_sales FINAL WHERE sales_date BETWEEN {first:Date} AND {last:Date})
            """, ("d", day), ("first", first), ("last", first.AddMonths(1).AddDays(-1)));
        Assert.Equal((totals.Get<decimal>(0, 0), totals.Get<decimal>(0, 1), totals.Get<ulong>(0, 2), totals.Get<ulong>(0, 3), totals.Get<decimal>(0, 4), totals.Get<ulong>(0, 5)),
            (plan.PlanRevenue, plan.FactRevenue, plan.PlanTickets, plan.FactTickets, plan.MonthPlanRevenue, plan.MonthPlanTickets));

        var health = await QueryAsync("SELECT source, status FROM bi.v_ops_freshness WHERE last_loaded_at IS NOT NULL ORDER BY source");
        Assert.Equal(Enumerable.Range(0, health.Rows.Count).Select(i => (health.Get<string>(i, 0), health.Get<string>(i, 1))),
            digest.Health.Select(h => (h.Source, h.Status)));
        Assert.Equal(["qtickets", "vk_ads", "yandex_direct"], digest.Health.Select(h => h.Source));

        var message = MorningDigestText.Render(digest);
        output.WriteLine(message.Body);
        var lines = message.Body.Split('\n');
        Assert.StartsWith($"Выручка: {RussianFormat.Money(digest.Sales.Revenue)} (к ", lines[2]);
        Assert.Contains($"  VK Реклама: {RussianFormat.Money(digest.Spend[0].Spend!.Value)}", lines);
        Assert.Contains($"  Яндекс Директ: {RussianFormat.Money(digest.Spend[1].Spend!.Value)}", lines);
        Assert.Contains("Данные: все источники свежие.", lines);
    }

    private async Task LoadPromoterAsync()
    {
        const int orders = 2_000;
        await using var qtickets = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = orders, Anchor = Anchor });
        using (var client = QticketsSource.Create(new QticketsClientOptions { BaseUrl = qtickets.BaseUrl, Token = qtickets.Token }))
        {
            await new QticketsSync(Store, client, new QticketsOptions { BuyerKeySecret = "a test buyer key secret of enough bytes" }, time: _clock)
                .RunAsync(new QticketsSyncRequest { Since = Anchor.AddYears(-3) });
        }
        await using var vkAds = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = orders, Anchor = Anchor });
        using (var client = VkAdsSource.Create(new VkAdsClientOptions { BaseUrl = vkAds.BaseUrl, ClientId = vkAds.ClientId, ClientSecret = vkAds.ClientSecret },
            new VkAdsTokenTable(Store, _clock)))
        {
            var (from, to) = vkAds.SpendDays;
            await new VkAdsSync(Store, client, new VkAdsOptions(), time: _clock).RunAsync(new AdSyncRequest { From = from, To = to });
        }
        await using var direct = await YandexDirectSandbox.StartAsync(new YandexDirectSandboxOptions { Orders = orders, Anchor = Anchor, OnlineReports = true });
        using (var client = YandexDirectSource.Create(new YandexDirectClientOptions { BaseUrl = direct.BaseUrl, Token = direct.Token, ReportDays = 92 }))
        {
            var (from, to) = direct.SpendDays;
            await new YandexDirectSync(Store, client, new YandexDirectOptions(), time: _clock).RunAsync(new AdSyncRequest { From = from, To = to });
        }
        await ImportPlanAsync();
    }

    /// <summary>A plan for the month of yesterday: the two events that sold most this month, 20 000 ₽ and 8 tickets a day each.</summary>
    private async Task ImportPlanAsync()
    {
        var day = RussianFormat.MoscowDate(Anchor).AddDays(-1);
        var first = new DateOnly(day.Year, day.Month, 1);
        var top = await QueryAsync("""
            SELECT event_id, city FROM bi.v_sales_daily WHERE d BETWEEN {first:Date} AND {d:Date}
            GROUP BY event_id, city ORDER BY sum(revenue) DESC, event_id LIMIT 2
            """, ("first", first), ("d", day));
        var csv = new StringBuilder("sales_date,event_id,city,plan_tickets,plan_revenue\n");
        for (var date = first; date.Month == first.Month; date = date.AddDays(1))
        {
            foreach (var row in top.Rows)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{date:yyyy-MM-dd},{row[0]},{row[1]},8,20000\n");
            }
        }
        await new PlanImport(Store, _clock).RunAsync(CsvText.Parse("plan.csv", csv.ToString()));
    }

    private Task<QueryResult> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        var values = new QueryParameters();
        foreach (var (name, value) in parameters)
        {
            values.Add(name, value);
        }
        return Store.QueryAsync(sql, values);
    }
}
