using System.Text.Json;
using Microsoft.Playwright;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The Marketing page tells the truth (issue 15): the city and campaign lights judge attributed revenue, so a
/// campaign losing money shows red inside a city that is green; a source no platform reports reads «—» with
/// the reason; untagged spend and untagged revenue are two lines; an event filter flags the spend tied to no
/// event; spend the platforms have not reported yet reads «ещё не загружено», never «0 ₽ ▼ 100 %». Expected
/// values come from the API over the fixture's real syncs.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class MarketingTruthTests(DashboardFixture dashboard)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private static DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);

    /// <summary>30 complete days: the ad platforms report up to yesterday.</summary>
    internal static string CompleteDays => $"from={Today.AddDays(-30):yyyy-MM-dd}&to={Today.AddDays(-1):yyyy-MM-dd}";

    [Fact]
    public async Task A_campaign_losing_money_is_red_in_a_city_that_is_green()
    {
        // A green city (ROAS on attributed revenue above 1.5) with a campaign below ROAS 1 in it (DashboardFixture makes one).
        var cities = await GetAsync("/api/marketing/cities?" + CompleteDays);
        string? city = null;
        JsonElement losing = default;
        foreach (var row in cities.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("light").GetString() == "green"))
        {
            Assert.True(row.GetProperty("attributedRoas").GetDouble() > 1.5);
            var campaigns = await GetAsync($"/api/marketing/campaigns?city={Uri.EscapeDataString(row.GetProperty("city").GetString()!)}&{CompleteDays}");
            var red = campaigns.GetProperty("rows").EnumerateArray()
                .Where(c => c.GetProperty("kind").GetString() == "campaign" && c.GetProperty("roas").ValueKind == JsonValueKind.Number && c.GetProperty("roas").GetDouble() < 1)
                .ToArray();
            if (red.Length > 0)
            {
                (city, losing) = (row.GetProperty("city").GetString(), red[0]);
                break;
            }
        }
        Assert.True(city is not null, "no green city has a campaign with ROAS below 1");

        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync($"/marketing?range=custom&{CompleteDays}&city={Uri.EscapeDataString(city!)}");

        Assert.Contains("атрибутированной", await session.Page.Locator("#romi-cities h2").TextContentAsync() ?? "", StringComparison.Ordinal);
        var cityRow = session.Page.Locator("#romi-cities table.data tbody tr").Filter(new() { Has = session.Page.Locator($"td[data-key=city][data-value='{city}']") });
        Assert.Equal(1, await cityRow.Locator("td[data-key=light] .light.green").CountAsync());

        var campaign = losing.GetProperty("campaign").GetString()!;
        var campaignRow = session.Page.Locator("#campaigns table.data tbody tr")
            .Filter(new() { Has = session.Page.Locator($"td[data-key=campaign][data-value='{campaign}']") })
            .Filter(new() { Has = session.Page.Locator($"td[data-key=source][data-value='{losing.GetProperty("source").GetString()}']") });
        Assert.Equal(1, await campaignRow.Locator("td[data-key=light] .light.red").CountAsync());
        Assert.True(double.Parse(await campaignRow.Locator("td[data-key=roas]").GetAttributeAsync("data-value") ?? "", CultureInfo.InvariantCulture) < 1);
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Untracked_sources_read_a_dash_and_untagged_spend_and_revenue_are_two_lines()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync($"/marketing?range=custom&{CompleteDays}");
        var rows = session.Page.Locator("#campaigns table.data tbody tr");

        var telegram = rows.Filter(new() { Has = session.Page.Locator("td[data-key=source][data-value=telegram]") });
        Assert.True(await telegram.CountAsync() > 0, "the sandbox sold nothing tagged telegram in the period");
        foreach (var key in new[] { "roas", "cpo", "light" })
        {
            var cell = telegram.First.Locator($"td[data-key={key}]");
            Assert.Equal("—", (await cell.TextContentAsync())?.Trim());
            Assert.Contains("нет подключённой рекламной площадки", await cell.Locator(".no-spend").GetAttributeAsync("title") ?? "", StringComparison.Ordinal);
        }

        var spendLine = rows.Filter(new() { Has = session.Page.Locator("td[data-key=kind][data-value=untagged_spend]") });
        var revenueLine = rows.Filter(new() { Has = session.Page.Locator("td[data-key=kind][data-value=untagged_revenue]") });
        Assert.Equal(1, await spendLine.CountAsync());
        Assert.Equal(1, await revenueLine.CountAsync());
        Assert.Equal("Расход без UTM", (await spendLine.Locator("td[data-key=platform]").TextContentAsync())?.Trim());
        Assert.Equal("Выручка без UTM", (await revenueLine.Locator("td[data-key=platform]").TextContentAsync())?.Trim());
        Assert.True(decimal.Parse(await spendLine.Locator("td[data-key=spend]").GetAttributeAsync("data-value") ?? "", CultureInfo.InvariantCulture) > 0);
        Assert.True(decimal.Parse(await revenueLine.Locator("td[data-key=revenue]").GetAttributeAsync("data-value") ?? "", CultureInfo.InvariantCulture) > 0);
        // Neither line is a campaign with a ROAS: the spend line has no revenue, the revenue line no spend.
        foreach (var (line, missing) in new[] { (spendLine, "revenue"), (revenueLine, "spend") })
        {
            Assert.Equal("—", (await line.Locator($"td[data-key={missing}]").TextContentAsync())?.Trim());
            Assert.Equal("—", (await line.Locator("td[data-key=roas]").TextContentAsync())?.Trim());
            Assert.Equal("", await line.Locator("td[data-key=roas]").GetAttributeAsync("data-value"));
        }
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task An_event_filter_shows_the_events_spend_and_flags_spend_tied_to_no_event()
    {
        // The event with the most spend mapped to it in the period.
        var events = await GetAsync("/api/city/events?" + CompleteDays);
        var top = events.GetProperty("rows").EnumerateArray().Where(e => e.GetProperty("eventId").GetUInt64() != 0).MaxBy(e => e.GetProperty("spend").GetDecimal());
        var eventId = top.GetProperty("eventId").GetUInt64();
        var expected = await GetAsync($"/api/marketing/kpis?event={eventId}&{CompleteDays}");
        var unmapped = expected.GetProperty("spendWithoutEvent").GetDecimal();
        Assert.True(unmapped > 0, "the fixture has no spend without an event");

        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync($"/marketing?range=custom&{CompleteDays}&event={eventId}");

        Assert.Equal(top.GetProperty("spend").GetDecimal(), Tile(await session.Page.GetAttributeAsync(".kpi[data-kpi=spend]", "data-value")));
        var flag = session.Page.Locator(".kpi[data-kpi=spendWithoutEvent]");
        Assert.Equal(unmapped, Tile(await flag.GetAttributeAsync("data-value")));
        Assert.Contains("Расход без привязки к событию", await flag.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Contains("₽", await flag.Locator(".kpi-value").TextContentAsync() ?? "", StringComparison.Ordinal);

        // Without an event filter nothing needs flagging.
        await session.GoToAsync($"/marketing?range=custom&{CompleteDays}");
        Assert.Equal(0, await session.Page.Locator(".kpi[data-kpi=spendWithoutEvent]").CountAsync());
        session.AssertNoConsoleErrors();
    }

    [Fact]
    public async Task Spend_not_reported_yet_reads_not_loaded_and_a_range_ending_today_is_a_partial_day()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        // Today: the ad platforms report up to yesterday, so no spend is loaded for it.
        await session.GoToAsync("/marketing?range=today");
        var spend = session.Page.Locator(".kpi[data-kpi=spend]");
        Assert.Equal("ещё не загружено", (await spend.Locator(".kpi-value").TextContentAsync())?.Trim());
        Assert.DoesNotContain("▼", await spend.TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("0 ₽", await spend.Locator(".kpi-value").TextContentAsync() ?? "", StringComparison.Ordinal);
        Assert.Equal("ещё не загружено", (await session.Page.Locator(".kpi[data-kpi=roas] .kpi-value").TextContentAsync())?.Trim());
        Assert.Contains("неполный день", await session.Page.Locator(".kpis-slot .partial-day").TextContentAsync() ?? "", StringComparison.Ordinal);

        // Seven days up to today (a custom range: the presets of Marketing end yesterday): the loaded days are shown,
        // today's missing spend is named instead of a change.
        await session.GoToAsync(FormattableString.Invariant($"/marketing?range=custom&from={Today.AddDays(-6):yyyy-MM-dd}&to={Today:yyyy-MM-dd}"));
        var change = await spend.Locator(".kpi-change").TextContentAsync() ?? "";
        Assert.Contains("ещё не загружено", change, StringComparison.Ordinal);
        Assert.Contains(Today.ToString("dd.MM.yyyy", CultureInfo.InvariantCulture), change, StringComparison.Ordinal);
        Assert.True(Tile(await spend.GetAttributeAsync("data-value")) > 0);
        Assert.Contains("ещё не загружено", await session.Page.Locator("section.card:has(a.csv[data-csv='/api/marketing/daily']) .not-loaded").TextContentAsync() ?? "", StringComparison.Ordinal);

        // Complete days: nothing is missing and nothing says so.
        await session.GoToAsync($"/marketing?range=custom&{CompleteDays}");
        Assert.Equal(0, await session.Page.Locator(".not-loaded, .partial-day").CountAsync());
        session.AssertNoConsoleErrors();
    }

    private static decimal Tile(string? value) => decimal.Parse(value ?? "", NumberStyles.Float, CultureInfo.InvariantCulture);

    private async Task<JsonElement> GetAsync(string path)
    {
        using var http = new HttpClient { BaseAddress = dashboard.App.Url };
        return JsonDocument.Parse(await http.GetStringAsync(path)).RootElement.Clone();
    }
}
