using System.Text.Json;
using Microsoft.Playwright;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The City performance page: ROMI per city on attributed revenue as the API counts it, the best and worst
/// cities, the scatter whose bubbles drill into a city, and a drilled city's events and campaigns; at laptop and
/// phone sizes without console errors (screenshots in TestResults/screenshots).
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class CityPageTests(DashboardFixture dashboard)
{
    [Theory]
    [InlineData("laptop", 1366, 900)]
    [InlineData("phone", 390, 844)]
    public async Task The_city_page_loads_at_laptop_and_phone_sizes(string viewport, int width, int height)
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, width, height);
        await session.GoToAsync($"/city?range=custom&{MarketingTruthTests.CompleteDays}");

        Assert.Equal("city", await session.Page.GetAttributeAsync("#page", "data-page"));
        Assert.Equal(0, await session.Page.Locator(".failed").CountAsync());
        await session.Page.Locator("#city-scatter canvas").WaitForAsync();
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"city-{viewport}.png"), FullPage = true });
        var overflow = await session.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
        Assert.True(overflow <= 0, $"/city is {overflow}px wider than a {width}px screen");
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Cities_are_ranked_by_romi_on_attributed_revenue_and_a_bubble_drills_into_its_city()
    {
        var cities = (await GetAsync("/api/city/cities?" + MarketingTruthTests.CompleteDays)).GetProperty("rows").EnumerateArray().ToArray();
        var romi = cities.Where(c => c.GetProperty("attributedRomi").ValueKind == JsonValueKind.Number)
            .ToDictionary(c => c.GetProperty("city").GetString()!, c => c.GetProperty("attributedRomi").GetDouble());
        Assert.True(romi.Count >= 2, "fewer than two cities with spend in the period");

        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync($"/city?range=custom&{MarketingTruthTests.CompleteDays}");

        Assert.Equal(romi.Values.Max(), romi[await session.Page.GetAttributeAsync("#city-top li:first-child", "data-city") ?? ""]);
        Assert.Equal(romi.Values.Min(), romi[await session.Page.GetAttributeAsync("#city-bottom li:first-child", "data-city") ?? ""]);
        var shown = await session.Page.Locator("#city-romi table.data tbody td[data-key=attributedRomi]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.Equal(cities.Select(c => c.GetProperty("attributedRomi") is { ValueKind: JsonValueKind.Number } v ? v.GetRawText() : ""), shown);

        // A click on the biggest bubble asks the shell to narrow the filters to its city.
        await session.Page.EvaluateAsync("() => window.addEventListener('zakaz:drill', e => { window.drilled = e.detail; })");
        var canvas = session.Page.Locator("#city-scatter canvas");
        await canvas.ScrollIntoViewIfNeededAsync();
        // The chart first takes its box's size (resize), so the point is where the click lands.
        var point = await canvas.EvaluateAsync<JsonElement>("""
            canvas => {
              const chart = Chart.getChart(canvas);
              chart.resize();
              const meta = chart.getDatasetMeta(0);
              let best = 0;
              meta.data.forEach((p, i) => { if (p.options.radius > meta.data[best].options.radius) best = i; });
              return { x: meta.data[best].x, y: meta.data[best].y, city: chart.data.datasets[0].data[best].city };
            }
            """);
        await canvas.ClickAsync(new LocatorClickOptions { Position = new Position { X = point.GetProperty("x").GetSingle(), Y = point.GetProperty("y").GetSingle() } });
        // Chart.js handles canvas events on the next animation frame: wait for the drill itself.
        await session.Page.WaitForFunctionAsync("() => window.drilled !== undefined");
        Assert.Equal(point.GetProperty("city").GetString(), await session.Page.EvaluateAsync<string>("() => window.drilled.city"));
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task A_drilled_city_shows_its_events_and_campaigns()
    {
        var city = (await GetAsync("/api/city/cities?" + MarketingTruthTests.CompleteDays)).GetProperty("rows").EnumerateArray()
            .Where(c => c.GetProperty("city").GetString() != "unknown").MaxBy(c => c.GetProperty("spend").GetDecimal()).GetProperty("city").GetString()!;
        var events = (await GetAsync($"/api/city/events?city={Uri.EscapeDataString(city)}&{MarketingTruthTests.CompleteDays}")).GetProperty("rows");

        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync($"/city?range=custom&{MarketingTruthTests.CompleteDays}&city={Uri.EscapeDataString(city)}");

        var eventIds = await session.Page.Locator("#city-events table.data tbody td[data-key=eventId]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.Equal(events.EnumerateArray().Select(e => e.GetProperty("eventId").GetRawText()), eventIds);
        Assert.True(eventIds.Length > 0);
        var eventCities = await session.Page.Locator("#city-events table.data tbody td[data-key=city]").EvaluateAllAsync<string[]>("cells => cells.map(c => c.dataset.value)");
        Assert.All(eventCities.Where(c => c.Length > 0), c => Assert.Equal(city, c));
        Assert.True(await session.Page.Locator("#city-campaigns table.data tbody tr").CountAsync() > 0);
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "city-drilled-laptop.png"), FullPage = true });
        session.AssertNoConsoleErrors();
    }

    private async Task<JsonElement> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = dashboard.App.Url };
        return JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();
    }
}
