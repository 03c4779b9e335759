using Microsoft.Extensions.Time.Testing;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Tests;
using Zakaz.Testing;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>
/// After a scheduled load the app computes the default views' answers itself, so the first visitor finds them ready,
/// and the data version the pages poll moves. Over <see cref="SampleData"/>, "today" being 2026-03-12 in Moscow.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class AnswerWarmupTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private const string Job = "qtickets.orders";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 12, 9, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        await SampleData.LoadAsync(schema.Store);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task After_a_scheduled_load_the_first_visit_of_every_default_view_is_a_kept_answer_equal_to_a_computed_one()
    {
        await using var dashboard = await StartAsync(TimeSpan.FromMinutes(5));
        await using var uncached = await StartAsync(TimeSpan.Zero);

        Assert.Equal(RunOutcome.Ran, await dashboard.App.Scheduler.RunNowAsync(Job));
        await dashboard.App.AnswersWarmed;

        var views = dashboard.App.DefaultViews;
        Assert.Equal(["/api/filters", "/api/freshness", "/api/version"], views.Where(v => v.Page == "header").Select(v => v.Url));
        Assert.Contains(("sales", "/api/sales/kpis?from=2026-02-11&to=2026-03-12"), views);
        Assert.Contains(("health", "/api/health/runs?from=2026-02-11&to=2026-03-12"), views);
        // Ad platforms report up to yesterday: the marketing page's 30 days are complete days.
        Assert.Contains(("marketing", "/api/marketing/kpis?from=2026-02-10&to=2026-03-11"), views);
        foreach (var (_, url) in views)
        {
            var (body, source) = await GetAsync(dashboard, url);
            Assert.True(source == "hit", $"{url} answered from {source}, not from the answers computed after the load");
            // Lags count minutes up to the store's own now, which may tick between the two answers.
            if (!body.Contains("\"lagMinutes\"", StringComparison.Ordinal))
            {
                Assert.Equal((await GetAsync(uncached, url)).Body, body);
            }
        }
        // The sale the load stored is in them: 4 600 of the sample and its 450.
        var kpis = JsonDocument.Parse((await GetAsync(dashboard, "/api/sales/kpis?from=2026-02-11&to=2026-03-12")).Body).RootElement.GetProperty("kpis");
        Assert.Equal(5050m, kpis.EnumerateArray().Single(k => k.GetProperty("key").GetString() == "revenue").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task The_data_version_moves_after_a_scheduled_load_and_says_when_it_ended()
    {
        await using var dashboard = await StartAsync(TimeSpan.FromMinutes(5));
        var before = await dashboard.GetJsonAsync("/api/version");

        Assert.Equal(RunOutcome.Ran, await dashboard.App.Scheduler.RunNowAsync(Job));
        await dashboard.App.AnswersWarmed;
        var after = await dashboard.GetJsonAsync("/api/version");

        // The sample's own fact rebuild was the load before.
        Assert.NotEqual(before.GetProperty("version").GetString(), after.GetProperty("version").GetString());
        var loadedAt = after.GetProperty("loadedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, loadedAt.Offset);
        Assert.InRange(loadedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task A_view_that_cannot_be_computed_after_a_load_is_logged_and_the_others_are_still_kept()
    {
        var bad = new ScheduledJob("bad.load", null, _ => Task.CompletedTask);
        await using var dashboard = await StartAsync(TimeSpan.FromMinutes(5), o => o.Jobs = [.. o.Jobs, bad]);
        // A view table the dashboard reads goes missing (an operator's mistake): its calls answer 503.
        await schema.Store.ExecuteAsync("RENAME TABLE bi.v_plan_vs_fact_mart TO bi.v_plan_vs_fact_mart_away");
        try
        {
            Assert.Equal(RunOutcome.Ran, await dashboard.App.Scheduler.RunNowAsync("bad.load"));
            await dashboard.App.AnswersWarmed;
        }
        finally
        {
            await schema.Store.ExecuteAsync("RENAME TABLE bi.v_plan_vs_fact_mart_away TO bi.v_plan_vs_fact_mart");
        }

        Assert.Contains(dashboard.Log.GetSnapshot(), r => r.Message.StartsWith("Computing /api/plan/rows?from=2026-02-11&to=2026-03-12 after a load answered 503", StringComparison.Ordinal));
        Assert.Equal("hit", (await GetAsync(dashboard, "/api/sales/kpis?from=2026-02-11&to=2026-03-12")).Source);
    }

    private Task<Dashboard> StartAsync(TimeSpan ttl, Action<DashboardOptions>? configure = null) =>
        Dashboard.StartAsync(schema.Store, o =>
        {
            o.Time = _clock;
            o.AnswerCacheTtl = ttl;
            // The load sells one more ticket of 450 on 2026-03-11 and records itself, as a sync does.
            o.Jobs = [ScheduledJob.Recorded(Job, null, schema.Store, async _ =>
            {
                await new Staging(schema.Store).Sale(77, 1, Staging.Msk(2026, 3, 11), 450m);
                await new FactBuilder(schema.Store).RebuildAsync(new DateOnly(2026, 3, 11), new DateOnly(2026, 3, 11));
                return 1;
            })];
            configure?.Invoke(o);
        });

    /// <summary>The body and where it came from: "hit", "miss", or "" when the cache did not see it.</summary>
    private static async Task<(string Body, string Source)> GetAsync(Dashboard dashboard, string url)
    {
        using var response = await dashboard.Http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode} {body}");
        return (body, response.Headers.TryGetValues("X-Answer-Cache", out var values) ? string.Join(",", values) : "");
    }
}
