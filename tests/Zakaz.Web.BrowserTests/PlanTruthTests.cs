using Microsoft.Playwright;
using Zakaz.Storage;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The Plan page: the plan to date beside the period's target from the imported plan, the fact line stopping at
/// today on a range that ends in the future, and «План не загружен» on a store without any plan.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class PlanTruthTests(DashboardFixture dashboard)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public async Task Plan_to_date_stands_beside_the_target_and_the_fact_stops_at_today()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);
        var (from, to) = (today.AddDays(-20), today.AddDays(10));
        var expected = await dashboard.Store.QueryAsync("""
            SELECT toDecimal128(sumIf(plan_revenue, d <= {today:Date}), 2) AS to_date, toDecimal128(sum(plan_revenue), 2) AS target
            FROM bi.v_plan_vs_fact_mart WHERE d BETWEEN {from:Date} AND {to:Date}
            """, new QueryParameters().Add("today", today).Add("from", from).Add("to", to));
        Assert.True(expected.Get<decimal>(0, "to_date") > 0, "the fixture's plan has nothing in the last 20 days");

        foreach (var (viewport, width, height) in new[] { ("laptop", 1366, 900), ("phone", 390, 844) })
        {
            await using var session = await BrowserSession.OpenAsync(dashboard, width, height);
            await session.GoToAsync($"/plan?range=custom&from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");

            Assert.Equal(0, await session.Page.Locator(".failed").CountAsync());
            Assert.Equal(expected.Get<decimal>(0, "to_date"), await TileAsync(session, "planRevenueToDate"));
            Assert.Equal(expected.Get<decimal>(0, "target"), await TileAsync(session, "planRevenue"));
            // The fact is drawn up to today and not after: the last 10 points of the 31 days are empty.
            var fact = await session.Page.Locator("canvas").First.EvaluateAsync<JsonElement>("canvas => window.Chart.getChart(canvas).data.datasets[1].data");
            Assert.Equal(31, fact.GetArrayLength());
            Assert.NotEqual(JsonValueKind.Null, fact[20].ValueKind);
            Assert.All(fact.EnumerateArray().Skip(21), point => Assert.Equal(JsonValueKind.Null, point.ValueKind));
            await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"plan-future-range-{viewport}.png"), FullPage = true });
            session.AssertNoConsoleErrors();
        }
    }

    [Fact]
    public async Task A_store_without_a_plan_says_the_plan_is_not_loaded()
    {
        // The plan mart swapped for an empty copy while the test runs: the store then holds no plan at all.
        await dashboard.Store.ExecuteAsync("CREATE TABLE zakaz.dm_plan_vs_fact_daily_empty AS zakaz.dm_plan_vs_fact_daily");
        await dashboard.Store.ExecuteAsync("EXCHANGE TABLES zakaz.dm_plan_vs_fact_daily AND zakaz.dm_plan_vs_fact_daily_empty");
        try
        {
            await using var app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = 0, Open = true, AnswerCacheTtl = TimeSpan.Zero });
            foreach (var (viewport, width, height) in new[] { ("laptop", 1366, 900), ("phone", 390, 844) })
            {
                await using var session = await BrowserSession.OpenAsync(dashboard, width, height, app.Url);
                await session.GoToAsync("/plan");
                Assert.StartsWith("План не загружен.", (await session.Page.Locator("#no-plan").TextContentAsync())?.Trim() ?? "", StringComparison.Ordinal);
                Assert.Equal(0, await session.Page.Locator("canvas").CountAsync());
                await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"plan-not-loaded-{viewport}.png"), FullPage = true });
                session.AssertNoConsoleErrors();
            }
        }
        finally
        {
            await dashboard.Store.ExecuteAsync("EXCHANGE TABLES zakaz.dm_plan_vs_fact_daily AND zakaz.dm_plan_vs_fact_daily_empty");
            await dashboard.Store.ExecuteAsync("DROP TABLE zakaz.dm_plan_vs_fact_daily_empty");
        }
    }

    private static async Task<decimal> TileAsync(BrowserSession session, string key) =>
        decimal.Parse(await session.Page.GetAttributeAsync($".kpi[data-kpi={key}]", "data-value") ?? "", NumberStyles.Float, CultureInfo.InvariantCulture);
}
