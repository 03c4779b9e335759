using System.Text.Json;
using Microsoft.Playwright;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The UTM page: the share of revenue and orders without UTM per day and per source as the API counts them,
/// and the campaigns that bring orders under a source no loaded platform reports, whose spend reads
/// «неизвестен» rather than 0; at laptop and phone sizes without console errors (screenshots).
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class UtmPageTests(DashboardFixture dashboard)
{
    [Theory]
    [InlineData("laptop", 1366, 900)]
    [InlineData("phone", 390, 844)]
    public async Task The_utm_page_loads_at_laptop_and_phone_sizes(string viewport, int width, int height)
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, width, height);
        await session.GoToAsync("/utm");

        Assert.Equal("utm", await session.Page.GetAttributeAsync("#page", "data-page"));
        Assert.Equal(0, await session.Page.Locator(".failed").CountAsync());
        await session.Page.Locator("#utm-daily canvas").WaitForAsync();
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"utm-{viewport}.png"), FullPage = true });
        var overflow = await session.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"/utm is {overflow}px wider than a {width}px screen");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Shares_without_utm_and_the_campaigns_no_platform_reports()
    {
        var range = MarketingTruthTests.CompleteDays;
        var sources = (await GetAsync("/api/utm/sources?" + range)).GetProperty("rows").EnumerateArray().ToArray();
        var untagged = sources.Single(s => s.GetProperty("source").GetString() == "");
        var unreported = (await GetAsync("/api/utm/unreported?" + range)).GetProperty("rows").EnumerateArray().ToArray();
        Assert.Contains(unreported, c => c.GetProperty("source").GetString() == "telegram");

        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync($"/utm?range=custom&{range}");

        var noUtm = session.Page.Locator("#utm-sources table.data tbody tr").Filter(new() { Has = session.Page.Locator("td[data-key=source][data-value='']") });
        Assert.Equal("Без UTM", (await noUtm.Locator("td[data-key=source]").TextContentAsync())?.Trim());
        Assert.Equal(untagged.GetProperty("revenueShare").GetRawText(), await noUtm.Locator("td[data-key=revenueShare]").GetAttributeAsync("data-value"));
        Assert.Equal(untagged.GetProperty("ordersShare").GetRawText(), await noUtm.Locator("td[data-key=ordersShare]").GetAttributeAsync("data-value"));

        var rows = session.Page.Locator("#utm-unreported table.data tbody tr");
        Assert.Equal(unreported.Select(c => $"{c.GetProperty("source").GetString()}|{c.GetProperty("campaign").GetString()}"),
            await rows.EvaluateAllAsync<string[]>("rows => rows.map(r => r.querySelector('[data-key=source]').dataset.value + '|' + r.querySelector('[data-key=campaign]').dataset.value)"));
        var spend = await rows.Locator("td[data-key=spend]").AllTextContentsAsync();
        Assert.All(spend, text => Assert.Equal("неизвестен", text.Trim()));
        session.AssertNoConsoleErrors();
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = dashboard.App.Url };
        return JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();
    }
}
