using Zakaz.Operations.Alerts;

namespace Zakaz.Web.BrowserTests;

/// <summary>The Data health page lists the firing alerts first, then those resolved in the last week, as bi.v_ops_alerts has them.</summary>
[Collection(DashboardFixture.CollectionName)]
public sealed class AlertsPageTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task The_health_page_shows_a_firing_alert_above_a_resolved_one_with_its_failed_delivery()
    {
        var now = DateTimeOffset.UtcNow;
        var started = now.AddHours(-3);
        var history = new AlertHistory(dashboard.Store);
        await dashboard.Store.ExecuteAsync("TRUNCATE TABLE zakaz.meta_alerts");
        await history.AddAsync(
        [
            new(now.AddDays(-2), "job_failed:vk_ads.daily", "job_failed", "vk_ads.daily", now.AddDays(-2), AlertHistory.Firing, "", "", "Задача vk_ads.daily не выполнена 2 раза подряд. Ошибки", ""),
            new(now.AddDays(-1), "job_failed:vk_ads.daily", "job_failed", "vk_ads.daily", now.AddDays(-2), AlertHistory.Resolved, "", "", "Задача vk_ads.daily не выполнена 2 раза подряд. Ошибки", ""),
            new(started, "source_stale:qtickets", "source_stale", "qtickets", started, AlertHistory.Firing, "", "", "Данные Qtickets устарели. Последняя загрузка", ""),
            new(started, "source_stale:qtickets", "source_stale", "qtickets", started, AlertHistory.Failed, AlertHistory.Firing, "telegram", "Данные Qtickets устарели", "chat not found"),
        ]);
        try
        {
            await using var app = await ZakazWebApp.StartAsync(dashboard.Store, new DashboardOptions { Port = 0, Open = true });
            await using var session = await BrowserSession.OpenAsync(dashboard, 1366, 768, app.Url);
            await session.GoToAsync("/health");

            var rows = session.Page.Locator("#alerts table.data tbody tr");
            Assert.Equal(2, await rows.CountAsync());
            Assert.Contains("активно", await rows.Nth(0).Locator("td[data-key=status]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.StartsWith("Данные Qtickets устарели", await rows.Nth(0).Locator("td[data-key=summary]").InnerTextAsync(), StringComparison.Ordinal);
            Assert.Equal("chat not found", await rows.Nth(0).Locator("td[data-key=lastError]").InnerTextAsync());
            Assert.Contains("решено", await rows.Nth(1).Locator("td[data-key=status]").InnerTextAsync(), StringComparison.Ordinal);
            session.AssertNoConsoleErrors();
        }
        finally
        {
            await dashboard.Store.ExecuteAsync("TRUNCATE TABLE zakaz.meta_alerts");
        }
    }
}
