using Microsoft.Playwright;
using Zakaz.Storage;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// Events &amp; inventory by the spec's risk rule: an event of the sandbox whose pace (its tickets of the last 7 days)
/// sells its seats out only after its last show is flagged at risk, with its city in its name, and listed before
/// every event not at risk; the daily curve opens with Enter and closes with Escape, focus back on the row.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class InventoryRiskTests(DashboardFixture dashboard)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public async Task An_event_projected_to_sell_out_after_its_last_show_is_at_risk_and_listed_first()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);
        // From the stored data: seats left, the last 7 days' tickets and the last show; the projection is today + left / (tickets / 7).
        var late = await dashboard.Store.QueryAsync("""
            SELECT i.event_id AS event_id, i.event_name AS event_name, i.city AS city, toUInt64(i.left) AS seats_left, s.tickets AS tickets,
                   toDate(coalesce(i.end_date, i.start_date)) AS last_day
            FROM bi.v_event_inventory AS i
            INNER JOIN (SELECT event_id, sum(tickets_sold) AS tickets FROM bi.v_sales_daily WHERE d > {today:Date} - 7 AND d <= {today:Date} GROUP BY event_id) AS s
                ON s.event_id = i.event_id
            WHERE last_day >= {today:Date} AND i.left > 0 AND s.tickets > 0
              AND {today:Date} + toIntervalDay(toUInt32(ceil(i.left / (s.tickets / 7)))) > last_day
            ORDER BY event_id
            LIMIT 1
            """, new QueryParameters().Add("today", today));
        Assert.True(late.Rows.Count == 1, "the sandbox has no upcoming event that sells too slowly to sell out before its last show");
        var eventId = late.Get<ulong>(0, "event_id");
        var days = (int)Math.Ceiling(late.Get<ulong>(0, "seats_left") / (late.Get<ulong>(0, "tickets") / 7.0));

        foreach (var (viewport, width, height) in new[] { ("laptop", 1366, 900), ("phone", 390, 844) })
        {
            await using var session = await BrowserSession.OpenAsync(dashboard, width, height);
            await session.GoToAsync("/inventory");
            var rows = session.Page.Locator("#inventory table.data tbody tr");
            var row = rows.Filter(new LocatorFilterOptions { Has = session.Page.Locator($"td[data-key=eventId][data-value='{eventId}']") });

            Assert.Equal("true", await row.Locator("td[data-key=atRisk]").GetAttributeAsync("data-value"));
            Assert.Contains("at-risk", await row.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
            Assert.Equal(today.AddDays(days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await row.Locator("td[data-key=projectedSelloutDate]").GetAttributeAsync("data-value"));
            Assert.Equal("распродажа позже последнего показа", await row.Locator("td[data-key=riskReason]").GetAttributeAsync("data-value"));
            var city = late.Get<string>(0, "city");
            Assert.EndsWith($"{late.Get<string>(0, "event_name")} ({char.ToUpperInvariant(city[0])}{city[1..]})",
                (await row.Locator("td[data-key=eventName]").TextContentAsync())?.Trim() ?? "", StringComparison.Ordinal);

            // At risk first, each group by its start date.
            var order = await rows.EvaluateAllAsync<string[]>(
                "rows => rows.map(row => row.querySelector('td[data-key=atRisk]').dataset.value + '|' + row.querySelector('td[data-key=startDate]').dataset.value)");
            Assert.Equal(order.OrderByDescending(o => o.StartsWith("true", StringComparison.Ordinal)).ThenBy(o => o[(o.IndexOf('|', StringComparison.Ordinal) + 1)..], StringComparer.Ordinal), order);
            await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"inventory-risk-{viewport}.png"), FullPage = true });
            session.AssertNoConsoleErrors();
        }
    }

    [Fact]
    public async Task Enter_opens_the_curve_Escape_closes_it_and_focus_returns_to_the_row()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/inventory");
        var row = session.Page.Locator("#inventory table.data tbody tr").Nth(1);
        var name = (await row.Locator("td[data-key=eventName]").TextContentAsync())?.Trim() ?? "";
        // An event at risk carries the badge «риск» before its name.
        name = name.StartsWith("риск", StringComparison.Ordinal) ? name[4..] : name;
        await row.FocusAsync();

        await session.Page.Keyboard.PressAsync("Enter");
        var dialog = session.Page.Locator("dialog#event-curve");
        await Assertions.Expect(dialog).ToBeVisibleAsync();
        await dialog.Locator("canvas, .empty").First.WaitForAsync();
        // The dialog names the event with its city, as the table does.
        Assert.Contains(name, await dialog.Locator("h2").TextContentAsync() ?? "", StringComparison.Ordinal);
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "inventory-curve-keyboard-laptop.png") });

        await session.Page.Keyboard.PressAsync("Escape");
        await Assertions.Expect(dialog).ToHaveCountAsync(0);
        Assert.True(await row.EvaluateAsync<bool>("row => document.activeElement === row"), "focus did not return to the row that opened the dialog");
        session.AssertNoConsoleErrors();
    }
}
