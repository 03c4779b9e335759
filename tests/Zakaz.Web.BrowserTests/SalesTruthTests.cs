using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;
using Zakaz.Storage;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The Sales page tells a day in progress apart (dashboards.md, incomplete periods): with a fake "now" at the time of
/// day of yesterday's middle sale, today's tiles compare with yesterday only up to that time and say so, and the daily
/// chart marks today «неполный день». A click on a city bar asks for the drill-down to that city.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class SalesTruthTests(DashboardFixture dashboard)
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public async Task Today_is_compared_with_the_same_hours_of_yesterday_and_marked_partial()
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);
        var yesterday = today.AddDays(-1);
        // "Now" is today at the minute of yesterday's middle sale, so yesterday has sales on both sides of it.
        var middle = await dashboard.Store.QueryAsync("""
            SELECT quantileExactLow(0.5)(sale_minute) AS minute, sum(orders) AS sales
            FROM bi.v_sales_by_minute WHERE d = {day:Date}
            """, new QueryParameters().Add("day", yesterday));
        Assert.True(middle.Get<ulong>(0, "sales") >= 2, $"the sandbox made fewer than 2 sales on {yesterday:yyyy-MM-dd}");
        var timeOfDay = TimeOnly.FromTimeSpan(TimeSpan.FromMinutes(middle.Get<ushort>(0, "minute")));
        var now = today.ToDateTime(timeOfDay);
        var time = new FakeTimeProvider(new DateTimeOffset(now, Moscow.GetUtcOffset(now)));

        var expected = await dashboard.Store.QueryAsync("""
            SELECT
                (SELECT toDecimal128(sum(revenue), 2) FROM bi.v_sales_daily WHERE d = {today:Date}) AS revenue,
                (SELECT toDecimal128(sum(revenue), 2) FROM bi.v_sales_by_minute WHERE d = {yesterday:Date} AND sale_minute <= {minute:UInt16}) AS previous,
                (SELECT toDecimal128(sum(revenue), 2) FROM bi.v_sales_daily WHERE d = {yesterday:Date}) AS whole_day
            """, new QueryParameters().Add("today", today).Add("yesterday", yesterday).Add("minute", (ushort)(timeOfDay.Hour * 60 + timeOfDay.Minute)));
        var previous = expected.Get<decimal>(0, "previous");
        Assert.True(previous < expected.Get<decimal>(0, "whole_day"), "yesterday sold nothing after its middle sale");

        await using var app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = 0, Open = true, Time = time, AnswerCacheTtl = TimeSpan.Zero });
        foreach (var (viewport, width, height) in new[] { ("laptop", 1366, 900), ("phone", 390, 844) })
        {
            await using var session = await BrowserSession.OpenAsync(dashboard, width, height, app.Url);
            var kpis = session.Page.WaitForResponseAsync(response => response.Url.Contains("/api/sales/kpis", StringComparison.Ordinal));
            await session.GoToAsync("/?range=today");
            var answer = JsonDocument.Parse(await (await kpis).TextAsync()).RootElement;

            Assert.True(answer.GetProperty("partialDay").GetBoolean());
            var revenue = answer.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == "revenue");
            Assert.Equal(expected.Get<decimal>(0, "revenue"), revenue.GetProperty("value").GetDecimal());
            Assert.Equal(previous, revenue.GetProperty("previous").GetDecimal());
            // The tile shows that previous value, and the page says how it was compared.
            var shownPrevious = await session.Page.EvaluateAsync<string>(
                "value => ' было ' + new Intl.NumberFormat('ru-RU', { style: 'currency', currency: 'RUB', maximumFractionDigits: 0 }).format(value)", (double)previous);
            Assert.Equal(shownPrevious, await session.Page.Locator(".kpi[data-kpi=revenue] .prev").TextContentAsync());
            var note = await session.Page.Locator(".period-note").TextContentAsync() ?? "";
            Assert.Contains("сравнение с тем же временем суток", note, StringComparison.Ordinal);
            Assert.Contains(timeOfDay.ToString("HH:mm", CultureInfo.InvariantCulture), note, StringComparison.Ordinal);

            await session.GoToAsync("/?range=7d");
            Assert.Contains($"{today:dd.MM.yyyy} — неполный день", await session.Page.Locator("#daily .partial-day").TextContentAsync() ?? "", StringComparison.Ordinal);
            // Today's bar, the last, is drawn lighter than the complete days.
            var colors = await session.Page.Locator("#daily canvas").EvaluateAsync<string[]>("canvas => window.Chart.getChart(canvas).data.datasets[0].backgroundColor");
            Assert.Equal(7, colors.Length);
            Assert.Single(colors.Distinct().Skip(1));
            Assert.NotEqual(colors[0], colors[^1]);
            Assert.Equal(colors[0], colors[^2]);
            await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"sales-partial-day-{viewport}.png"), FullPage = true });
            session.AssertNoConsoleErrors();
        }
    }

    [Fact]
    public async Task A_click_on_a_city_bar_drills_down_to_that_city()
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync("/");
        var top = await session.Page.Locator("#cities table.data tbody tr td[data-key=city]").First.GetAttributeAsync("data-value");
        await session.Page.EvaluateAsync("() => { window.drilled = []; window.addEventListener('zakaz:drill', (event) => window.drilled.push(event.detail)); }");

        // The top city's bar: its centre, from the chart's own layout.
        var canvas = session.Page.Locator("#cities canvas");
        var bar = await canvas.EvaluateAsync<double[]>("canvas => { const bar = window.Chart.getChart(canvas).getDatasetMeta(0).data[0]; return [(bar.x + bar.base) / 2, bar.y]; }");
        await canvas.ClickAsync(new LocatorClickOptions { Position = new Position { X = (float)bar[0], Y = (float)bar[1] } });

        await session.Page.WaitForFunctionAsync("() => window.drilled.length > 0");
        var drilled = await session.Page.EvaluateAsync<JsonElement>("() => window.drilled");
        Assert.Equal(top, drilled[0].GetProperty("city").GetString());
        session.AssertNoConsoleErrors();
    }
}
