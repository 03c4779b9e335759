using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Zakaz.Pipeline.Quality;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// The Data health page speaks Russian: sources by their names, statuses and checks in words, lags, durations and
/// row counts in Russian units and digit groups, the run id behind the job's name instead of a column.
/// </summary>
[Collection(DashboardFixture.CollectionName)]
public sealed partial class HealthPageTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task Statuses_names_and_units_are_russian_and_run_ids_are_behind_details()
    {
        // The checks as the scheduler writes them after a load.
        var checks = await new QualityCheckLog(dashboard.Store).RunAsync();
        Assert.NotEmpty(checks);
        var runs = await dashboard.Store.QueryAsync("SELECT run_id, job, duration_s, rows_processed FROM bi.v_ops_job_runs ORDER BY started_at DESC, run_id LIMIT 1");
        Assert.True(runs.Rows.Count == 1, "the fixture's loads recorded no job run");

        foreach (var (viewport, width, height) in new[] { ("laptop", 1366, 900), ("phone", 390, 844) })
        {
            await using var session = await BrowserSession.OpenAsync(dashboard, width, height);
            await session.GoToAsync("/health");

            var sources = await session.Page.Locator("#sources td[data-key=source]").AllTextContentsAsync();
            Assert.Contains("Qtickets", sources);
            Assert.Contains("VK Реклама", sources);
            Assert.Contains("Яндекс Директ", sources);

            // No run id column; the newest run's id sits in the details of its job.
            Assert.Equal(0, await session.Page.Locator("#runs th[data-key=runId]").CountAsync());
            var first = session.Page.Locator("#runs table.data tbody tr").First;
            Assert.Equal($"Запуск {runs.Get<string>(0, "run_id")}", await first.Locator("td[data-key=job] details .run-id").TextContentAsync());
            Assert.False(await first.Locator("td[data-key=job] .run-id").IsVisibleAsync());
            Assert.All(await session.Page.Locator("#runs td[data-key=status]").AllTextContentsAsync(),
                status => Assert.Contains(status.Trim(), new[] { "успешно", "выполняется", "ошибка" }));
            Assert.All(await session.Page.Locator("#runs td[data-key=durationS]").AllTextContentsAsync(),
                duration => Assert.Matches(Duration(), duration));
            var rows = runs.Get<ulong>(0, "rows_processed");
            Assert.Equal(rows.ToString("#,0", CultureInfo.GetCultureInfo("ru-RU")).Replace('\u00a0', ' '),
                (await first.Locator("td[data-key=rows]").TextContentAsync())?.Replace('\u00a0', ' ').Replace('\u202f', ' '));

            Assert.All(await session.Page.Locator("#checks td[data-key=status]").AllTextContentsAsync(),
                status => Assert.Contains(status.Trim(), new[] { "в норме", "нарушена", "нет данных" }));
            Assert.Equal(checks.Count, await session.Page.Locator("#checks table.data tbody tr").CountAsync());
            Assert.All(await session.Page.Locator("#checks td[data-key=check]").AllTextContentsAsync(),
                check => Assert.DoesNotMatch("[a-z_]{4,}", check.Replace("Qtickets", "", StringComparison.Ordinal)));
            Assert.All(await session.Page.Locator("#checks td[data-key=threshold]").AllTextContentsAsync(),
                threshold => Assert.DoesNotMatch("<=|min|last run|tables|sales", threshold));
            Assert.All(await session.Page.Locator("#checks td[data-key=detail]").AllTextContentsAsync(),
                detail => Assert.DoesNotMatch(@"\b(of|loaded|roubles|ago|newest|refer|hold|never|negative|stored)\b", detail));
            Assert.All(await session.Page.Locator("#sources td[data-key=lagMinutes]").AllTextContentsAsync(),
                lag => Assert.Matches(Lag(), lag));
            await session.Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardFixture.ScreenshotFolder, $"health-russian-{viewport}.png"), FullPage = true });
            session.AssertNoConsoleErrors();
        }
    }

    [GeneratedRegex(@"^(—|\d+ с|\d+ мин \d+ с|\d+ ч \d+ мин)$")]
    private static partial Regex Duration();

    [GeneratedRegex(@"^(—|\d+ мин|\d+ ч \d+ мин|\d+ дн)$")]
    private static partial Regex Lag();
}
