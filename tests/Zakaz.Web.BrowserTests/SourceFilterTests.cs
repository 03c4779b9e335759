using Zakaz.Storage;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The ad platform filter on the Marketing page: choosing «Яндекс Директ» puts <c>source=yandex_direct</c> in the
/// URL, the KPI tiles and the «Площадки» card show Direct's spend and the revenue attributed to it as the store
/// counts them, the campaigns are Direct's, and a reload keeps all of it.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class SourceFilterTests(DashboardFixture dashboard)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public async Task Choosing_yandex_direct_shows_its_figures_and_a_reload_keeps_the_filter()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 768);
        await session.GoToAsync("/marketing");
        var filter = session.Page.Locator("select[name=source]");
        Assert.True(await filter.IsVisibleAsync());
        Assert.Equal("", await filter.InputValueAsync());
        Assert.Equal("Все площадки", (await filter.Locator("option:checked").TextContentAsync())?.Trim());

        // Every platform: a source no platform carries (telegram) has its CPO as «—» with the reason, not 0 ₽.
        var telegram = session.Page.Locator("#campaigns table.data tbody tr").Filter(new() { Has = session.Page.Locator("td[data-key=source][data-value=telegram]") });
        Assert.True(await telegram.CountAsync() > 0, "the sandbox sold nothing tagged telegram in the last 30 days");
        var cpo = telegram.First.Locator("td[data-key=cpo]");
        Assert.Equal("—", (await cpo.TextContentAsync())?.Trim());
        Assert.Contains("нет подключённой рекламной площадки", await cpo.Locator(".no-spend").GetAttributeAsync("title") ?? "", StringComparison.Ordinal);

        await filter.SelectOptionAsync(new Microsoft.Playwright.SelectOptionValue { Label = "Яндекс Директ" });
        await session.WaitReadyAsync();
        Assert.Contains("source=yandex_direct", session.Page.Url, StringComparison.Ordinal);
        await AssertDirectFiguresAsync(session);
        await session.Page.ScreenshotAsync(new() { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "marketing-yandex-direct-laptop.png"), FullPage = true });

        await session.Page.ReloadAsync();
        await session.WaitReadyAsync();
        Assert.Contains("source=yandex_direct", session.Page.Url, StringComparison.Ordinal);
        Assert.Equal("yandex_direct", await session.Page.Locator("select[name=source]").InputValueAsync());
        await AssertDirectFiguresAsync(session);

        // Other pages keep the filter in their links but neither show nor apply it.
        await session.Page.ClickAsync(".nav a[data-page=sales]");
        await session.WaitReadyAsync();
        Assert.Contains("source=yandex_direct", session.Page.Url, StringComparison.Ordinal);
        Assert.False(await session.Page.Locator("select[name=source]").IsVisibleAsync());
        session.AssertNoConsoleErrors();
    }

    private async Task AssertDirectFiguresAsync(BrowserSession session)
    {
        // The page's own period (its presets end yesterday: Marketing counts complete days), as its CSV links carry it.
        var csv = System.Web.HttpUtility.ParseQueryString(new Uri(dashboard.App.Url, await session.Page.GetAttributeAsync("#sources a.csv", "href")).Query);
        var (from, to) = (DateOnly.ParseExact(csv["from"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture), DateOnly.ParseExact(csv["to"]!, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        Assert.Equal(29, to.DayNumber - from.DayNumber);
        Assert.True(to >= DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime).AddDays(-1));
        var expected = await dashboard.Store.QueryAsync("""
            SELECT toDecimal128(sum(spend), 2) AS spend, toDecimal128(sum(revenue), 2) AS revenue, sum(orders) AS orders
            FROM bi.v_marketing_source_daily
            WHERE d BETWEEN {from:Date} AND {to:Date} AND source = 'yandex_direct'
            """, new QueryParameters().Add("from", from).Add("to", to));
        var spend = expected.Get<decimal>(0, "spend");
        var revenue = expected.Get<decimal>(0, "revenue");
        var orders = expected.Get<ulong>(0, "orders");
        Assert.True(spend > 0 && orders > 0, "the fixture gave Yandex Direct no spend or orders in the last 30 days");

        Assert.Equal(spend, await TileAsync(session, "spend"));
        Assert.Equal(revenue, await TileAsync(session, "revenue"));
        Assert.Equal(Math.Round(revenue / spend, 4), await TileAsync(session, "roas"));
        Assert.Equal(Math.Round(spend / orders, 2), await TileAsync(session, "cpo"));

        // The «Площадки» card has Direct's row alone, under its Russian name.
        var rows = session.Page.Locator("#sources table.data tbody tr");
        Assert.Equal(1, await rows.CountAsync());
        Assert.Equal("Яндекс Директ", (await rows.Locator("td[data-key=source]").TextContentAsync())?.Trim());
        Assert.Equal(spend, await CellAsync(rows, "spend"));
        Assert.Equal(revenue, await CellAsync(rows, "revenue"));
        Assert.Equal(orders, await CellAsync(rows, "orders"));

        var platforms = await session.Page.Locator("#campaigns table.data tbody td[data-key=platform]").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.dataset.value)");
        Assert.NotEmpty(platforms);
        Assert.All(platforms, platform => Assert.Equal("yandex_direct", platform));
    }

    private static async Task<decimal> TileAsync(BrowserSession session, string key) =>
        decimal.Parse(await session.Page.GetAttributeAsync($".kpi[data-kpi={key}]", "data-value") ?? "", NumberStyles.Float, CultureInfo.InvariantCulture);

    private static async Task<decimal> CellAsync(Microsoft.Playwright.ILocator row, string key) =>
        decimal.Parse(await row.Locator($"td[data-key={key}]").GetAttributeAsync("data-value") ?? "", NumberStyles.Float, CultureInfo.InvariantCulture);
}
