using System.Net;
using System.Net.Sockets;
using Microsoft.Playwright;
using Zakaz.Pipeline.Runs;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// Honest state: the header says when the figures were loaded; the freshness badge turns red with «нет связи с
/// сервером» when the server stops while a page is open; a failed card says so in Russian and «Повторить» asks again;
/// a refused filter shows its Russian reason beside that filter while the header still works.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class LiveStateTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task The_badge_turns_red_when_the_server_stops_and_a_failed_card_retries_once_it_is_back()
    {
        var port = FreePort();
        ZakazWebApp? app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = port, Open = true });
        try
        {
            await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900, app.Url);
            // A year of sales has more detail rows than a page: the pager asks the server again later.
            var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).DateTime);
            await session.GoToAsync($"/?range=custom&from={today.AddDays(-364):yyyy-MM-dd}&to={today:yyyy-MM-dd}");
            var badge = session.Page.Locator("#freshness");
            await Assertions.Expect(badge).Not.ToHaveAttributeAsync("data-status", "unknown");
            await Assertions.Expect(session.Page.Locator("#updated")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Обновлено \d\d:\d\d$"));

            await app.DisposeAsync();
            app = null;
            // The tab getting the focus back asks at once, as the 30-second poll would.
            await session.Page.EvaluateAsync("window.dispatchEvent(new Event('focus'))");
            await Assertions.Expect(badge).ToHaveAttributeAsync("data-status", "red");
            await Assertions.Expect(badge.Locator(".text")).ToHaveTextAsync("нет связи с сервером");

            var detail = session.Page.Locator("#detail");
            await detail.Locator(".pager-next").ClickAsync();
            var failed = detail.Locator(".failed");
            await Assertions.Expect(failed).ToContainTextAsync("Нет связи с сервером");
            await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, "offline-laptop.png") });

            app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = port, Open = true });
            await failed.Locator("button.retry").ClickAsync();
            await Assertions.Expect(detail.Locator("table.data tbody tr").First).ToBeVisibleAsync();
            await Assertions.Expect(detail.Locator(".pager-info")).ToContainTextAsync("Строки 201");
            await session.Page.EvaluateAsync("window.dispatchEvent(new Event('focus'))");
            await Assertions.Expect(badge.Locator(".text")).Not.ToHaveTextAsync("нет связи с сервером");
        }
        finally
        {
            if (app is not null)
            {
                await app.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_new_data_version_draws_the_page_again_keeping_the_filters_and_the_scroll()
    {
        // No answer cache: the new version must be seen at the next ask, not 30 seconds later.
        await using var app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = 0, Open = true, AnswerCacheTtl = TimeSpan.Zero });
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 600, app.Url);
        await session.GoToAsync("/?range=7d");
        await Assertions.Expect(session.Page.Locator("#updated")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^Обновлено \d\d:\d\d$"));
        var url = session.Page.Url;
        await session.Page.EvaluateAsync("document.querySelector('section.card').dataset.drawn = 'before'; window.scrollTo(0, 300)");
        var scrolled = await session.Page.EvaluateAsync<double>("window.scrollY");
        Assert.True(scrolled > 0);

        // A load finishes: the data version is the last successful run's end.
        var run = await new JobRunLog(dashboard.Store).StartAsync("browser-test.load");
        await run.CompleteAsync(0);
        await session.Page.EvaluateAsync("window.dispatchEvent(new Event('focus'))");
        await Assertions.Expect(session.Page.Locator("section.card[data-drawn=before]")).ToHaveCountAsync(0);
        await session.WaitReadyAsync();
        var loadedAt = (await dashboard.Store.QueryAsync("SELECT max(finished_at) AS at FROM bi.v_ops_job_runs WHERE status = 'ok'")).Get<DateTimeOffset>(0, "at");
        var moscow = TimeZoneInfo.ConvertTime(loadedAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow"));
        await Assertions.Expect(session.Page.Locator("#updated")).ToHaveTextAsync("Обновлено " + moscow.ToString("HH:mm", CultureInfo.InvariantCulture));
        Assert.Equal(url, session.Page.Url);
        Assert.Equal(scrolled, await session.Page.EvaluateAsync<double>("window.scrollY"));
        session.AssertNoConsoleErrors();
    }

    [Theory]
    [InlineData("/?city=" + "%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0%27", "city", "не похоже на название города")]
    [InlineData("/marketing?range=custom&from=2026-02-30&to=2026-03-05", "from", "не существующая дата")]
    public async Task A_refused_filter_shows_its_reason_beside_the_filter_and_the_header_still_works(string path, string parameter, string reason)
    {
        await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 900);
        await session.GoToAsync(path);

        var message = session.Page.Locator($"#filters .filter-error[data-parameter={parameter}]");
        await Assertions.Expect(message).ToContainTextAsync(reason);
        // Beside the filter at fault: right after the city dropdown, inside the date field.
        var beside = parameter == "city" ? "details[data-name=city] + .filter-error" : ".custom-dates:has(input[name=from]) .filter-error";
        Assert.Equal(1, await session.Page.Locator(beside).CountAsync());
        Assert.True(await message.IsVisibleAsync());
        // The cards say it in Russian, never a 503 or the API's English.
        var failures = await session.Page.Locator(".failed").AllTextContentsAsync();
        Assert.NotEmpty(failures);
        Assert.All(failures, text =>
        {
            Assert.Contains(reason, text, StringComparison.Ordinal);
            Assert.DoesNotContain("503", text, StringComparison.Ordinal);
            Assert.Contains("Повторить", text, StringComparison.Ordinal);
        });
        // The header is whole: the tabs, and a freshness badge that answered.
        await Assertions.Expect(session.Page.Locator("#freshness")).Not.ToHaveAttributeAsync("data-status", "unknown");
        Assert.Equal(7, await session.Page.Locator(".nav a").CountAsync());
        await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"bad-filter-{parameter}-laptop.png") });
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
