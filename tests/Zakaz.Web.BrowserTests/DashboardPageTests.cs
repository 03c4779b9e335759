using Microsoft.Playwright;
using Zakaz.Storage;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The five pages in a real browser against the open dashboard: they load without console errors at laptop
/// and phone sizes (screenshots in TestResults/screenshots), the filters drive the KPI tiles to the store's
/// own numbers, and every CSV export equals the table it belongs to.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class DashboardPageTests(DashboardFixture dashboard)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    public static TheoryData<string, string> Pages => new()
    {
        { "/", "sales" }, { "/inventory", "inventory" }, { "/marketing", "marketing" }, { "/plan", "plan" }, { "/health", "health" },
    };

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Every_page_loads_without_console_errors_on_a_laptop_and_a_phone(string path, string name)
    {
        foreach (var (viewport, width, height) in new[] { ("laptop", 1366, 768), ("phone", 390, 844) })
        {
            await using var session = await BrowserSession.OpenAsync(dashboard, width, height);
            await session.GoToAsync(path);

            Assert.Equal(name, await session.Page.GetAttributeAsync("#page", "data-page"));
            Assert.Equal(0, await session.Page.Locator(".failed").CountAsync());
            Assert.Equal(name, await session.Page.GetAttributeAsync(".nav a.active", "data-page"));
            await session.Page.ScreenshotAsync(new PageScreenshotOptions
            {
                Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"{name}-{viewport}.png"),
                FullPage = true,
            });
            // Nothing wider than the screen: on a phone only tables scroll, inside their own box.
            var overflow = await session.Page.EvaluateAsync<int>("document.documentElement.scrollWidth - window.innerWidth");
            Assert.True(overflow <= 0, $"{path} is {overflow}px wider than a {width}px screen");
            session.AssertNoConsoleErrors();
        }
    }

    [Fact]
    public async Task Changing_the_date_range_and_city_sets_the_kpi_tiles_to_the_stores_numbers()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 768);
        await session.GoToAsync("/");
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);
        await AssertTilesAsync(session, today.AddDays(-29), today, city: null, eventId: null);

        var city = await BusiestAsync("city", today.AddDays(-6), today, city: "");
        await session.Page.SelectOptionAsync("select[name=range]", "7d");
        await session.WaitReadyAsync();
        await session.Page.ClickAsync("details[data-name=city] summary");
        await session.Page.CheckAsync($"details[data-name=city] input[value='{city}']");
        await session.WaitReadyAsync();

        Assert.Contains("range=7d", session.Page.Url, StringComparison.Ordinal);
        Assert.Contains("city=" + Uri.EscapeDataString(city), session.Page.Url, StringComparison.Ordinal);
        await AssertTilesAsync(session, today.AddDays(-6), today, city, eventId: null);

        // The event list follows the chosen city; one event narrows the tiles further.
        var eventId = await BusiestAsync("toString(event_id)", today.AddDays(-6), today, city);
        await session.Page.ClickAsync("details[data-name=event] summary");
        await session.Page.CheckAsync($"details[data-name=event] input[value='{eventId}']");
        await session.WaitReadyAsync();
        Assert.Contains("event=" + eventId, session.Page.Url, StringComparison.Ordinal);
        await AssertTilesAsync(session, today.AddDays(-6), today, city, ulong.Parse(eventId, CultureInfo.InvariantCulture));

        // The URL alone restores the view: a bookmark shows the same numbers.
        await using var bookmark = await BrowserSession.OpenAsync(dashboard, 1366, 768);
        await bookmark.GoToAsync(new Uri(session.Page.Url).PathAndQuery);
        await AssertTilesAsync(bookmark, today.AddDays(-6), today, city, ulong.Parse(eventId, CultureInfo.InvariantCulture));
        session.AssertNoConsoleErrors();
        bookmark.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("/", "/api/sales/detail")]
    [InlineData("/?range=custom&from={yearAgo}&to={today}", "/api/sales/detail")]
    [InlineData("/", "/api/sales/cities")]
    [InlineData("/?range=7d", "/api/sales/events")]
    [InlineData("/inventory", "/api/inventory/events")]
    [InlineData("/health", "/api/health/runs")]
    [InlineData("/marketing", "/api/marketing/cities")]
    [InlineData("/marketing", "/api/marketing/campaigns")]
    [InlineData("/marketing", "/api/marketing/sources")]
    [InlineData("/marketing?source=yandex_direct", "/api/marketing/campaigns")]
    [InlineData("/plan", "/api/plan/rows")]
    public async Task The_csv_export_equals_the_table(string path, string api)
    {
        // A year of the fixture's sales has more detail rows than a page holds; its last 30 days do not.
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);
        var paged = path.Contains("{yearAgo}", StringComparison.Ordinal);
        path = path.Replace("{yearAgo}", today.AddDays(-364).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{today}", today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), StringComparison.Ordinal);
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 768);
        await session.GoToAsync(path);
        var card = session.Page.Locator("section.card").Filter(new LocatorFilterOptions { Has = session.Page.Locator($"a.csv[data-csv='{api}']") });
        var shown = await card.Locator("table.data tbody tr").EvaluateAllAsync<string[][]>(
            "rows => rows.map(row => [...row.cells].map(cell => cell.dataset.value))");
        // The CSV's header row is the columns' titles, as the table's header shows them.
        var header = await card.Locator("table.data thead th").EvaluateAllAsync<string[]>("cells => cells.map(cell => cell.textContent)");
        Assert.NotEmpty(shown);

        var download = await session.Page.RunAndWaitForDownloadAsync(() => card.Locator("a.csv").ClickAsync());
        var bytes = await File.ReadAllBytesAsync(await download.PathAsync());
        // Russian Excel takes a CSV for UTF-8 only with the byte order mark.
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var csv = Csv.Parse(Encoding.UTF8.GetString(bytes[3..]));

        // Every column the table shows is in the CSV, in the same order; the CSV may hold more (the Data health page
        // keeps a run's id behind its job's name rather than in a column).
        var columns = header.Select(title => Array.IndexOf(csv[0], title)).ToArray();
        Assert.True(columns.All(c => c >= 0) && columns.SequenceEqual(columns.Order()), $"table columns {string.Join(", ", header)}; CSV columns {string.Join(", ", csv[0])}");
        Assert.True(columns.Length == csv[0].Length || api == "/api/health/runs", $"the CSV of {api} has columns the table does not show");
        // A paged table shows its first page; its CSV holds every row, as many as the pager counts.
        var pager = card.Locator(".pager-info");
        Assert.Equal(await pager.CountAsync() == 0 ? shown.Length : Csv.TotalOfPager(await pager.TextContentAsync()), csv.Count - 1);
        AssertRowsAt(shown, csv, header, columns, 0);
        Assert.Equal(paged, await pager.CountAsync() > 0);
        if (await pager.CountAsync() > 0)
        {
            // The next page shows the CSV's next rows.
            var first = await pager.TextContentAsync();
            await card.Locator(".pager-next").ClickAsync();
            await Assertions.Expect(pager).Not.ToHaveTextAsync(first ?? "");
            var next = await card.Locator("table.data tbody tr").EvaluateAllAsync<string[][]>(
                "rows => rows.map(row => [...row.cells].map(cell => cell.dataset.value))");
            Assert.NotEmpty(next);
            AssertRowsAt(next, csv, header, columns, shown.Length);
        }

        session.AssertNoConsoleErrors();
    }

    private static void AssertRowsAt(string[][] shown, IReadOnlyList<string[]> csv, string[] header, int[] columns, int offset)
    {
        for (var row = 0; row < shown.Length; row++)
        {
            for (var column = 0; column < header.Length; column++)
            {
                Assert.True(Csv.SameValue(shown[row][column], csv[offset + row + 1][columns[column]]),
                    $"row {offset + row + 1}, {header[column]}: table '{shown[row][column]}', CSV '{csv[offset + row + 1][columns[column]]}'");
            }
        }
    }

    [Fact]
    public async Task At_risk_events_are_highlighted_and_a_click_shows_the_events_daily_curve()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 768);
        await session.GoToAsync("/inventory");
        var rows = session.Page.Locator("#inventory table.data tbody tr");
        Assert.True(await rows.CountAsync() > 0);
        var atRisk = await rows.EvaluateAllAsync<bool[]>(
            "rows => rows.map(row => row.querySelector('td[data-key=atRisk]').dataset.value === 'true' === row.classList.contains('at-risk'))");
        Assert.All(atRisk, Assert.True);

        await rows.First.ClickAsync();
        var curve = session.Page.Locator("dialog#event-curve");
        await curve.Locator("canvas, .empty").First.WaitForAsync();
        Assert.True(await curve.IsVisibleAsync());
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "inventory-curve-laptop.png") });
        session.AssertNoConsoleErrors();
    }

    private async Task AssertTilesAsync(BrowserSession session, DateOnly from, DateOnly to, string? city, ulong? eventId)
    {
        Assert.Equal(from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await session.Page.InputValueAsync("input[name=from]"));
        Assert.Equal(to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await session.Page.InputValueAsync("input[name=to]"));
        var expected = await dashboard.Store.QueryAsync("""
            SELECT sum(revenue), sum(tickets_sold), sum(orders)
            FROM bi.v_sales_daily
            WHERE d BETWEEN {from:Date} AND {to:Date} AND ({city:String} = '' OR city = {city:String})
              AND ({event:UInt64} = 0 OR event_id = {event:UInt64})
            """, new QueryParameters().Add("from", from).Add("to", to).Add("city", city ?? "").Add("event", eventId ?? 0UL));
        var revenue = expected.Get<decimal>(0, 0);
        var tickets = expected.Get<ulong>(0, 1);
        Assert.True(tickets > 0, $"the sandbox sold nothing from {from} to {to} in {city ?? "any city"} for {eventId?.ToString(CultureInfo.InvariantCulture) ?? "any event"}");

        Assert.Equal(revenue, await TileAsync(session, "revenue"));
        Assert.Equal(tickets, await TileAsync(session, "tickets"));
        Assert.Equal(expected.Get<ulong>(0, 2), await TileAsync(session, "orders"));
        Assert.Equal(Math.Round(revenue / tickets, 2), await TileAsync(session, "avgTicketPrice"));
    }

    private static async Task<decimal> TileAsync(BrowserSession session, string key) =>
        decimal.Parse(await session.Page.GetAttributeAsync($".kpi[data-kpi={key}]", "data-value") ?? "", NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>The city or event (a column expression of bi.v_sales_daily) that sold the most tickets in the period.</summary>
    private async Task<string> BusiestAsync(string key, DateOnly from, DateOnly to, string city)
    {
        var result = await dashboard.Store.QueryAsync($$"""
            SELECT {{key}} AS key FROM bi.v_sales_daily
            WHERE d BETWEEN {from:Date} AND {to:Date} AND ({city:String} = '' OR city = {city:String})
            GROUP BY key ORDER BY sum(tickets_sold) DESC, key LIMIT 1
            """, new QueryParameters().Add("from", from).Add("to", to).Add("city", city));
        return result.Get<string>(0, 0);
    }
}
