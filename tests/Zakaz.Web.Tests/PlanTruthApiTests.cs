using Microsoft.Extensions.Time.Testing;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Tests;
using Zakaz.Testing;

namespace Zakaz.Web.Tests;

/// <summary>
/// The Plan page's truths over <see cref="SampleData"/> (plan: 2 tickets for 2000 on 10 March, 1 for 1000 on the 11th)
/// with "now" on 10 March: the plan to date beside the period's target, the fact curve stopping at today, a range
/// ending in the future, and a store without any plan told apart from a period without one.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class PlanTruthApiTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private Dashboard _dashboard = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        await SampleData.LoadAsync(schema.Store);
        _dashboard = await Dashboard.StartAsync(schema.Store, o =>
        {
            o.Time = new FakeTimeProvider(Staging.Msk(2026, 3, 10, 15, 0));
            o.AnswerCacheTtl = TimeSpan.Zero;
        });
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task The_plan_to_date_stands_beside_the_periods_target_and_the_fact_stops_at_today()
    {
        var summary = await _dashboard.GetJsonAsync("/api/plan/summary?from=2026-03-09&to=2026-04-30");
        Assert.True(summary.GetProperty("planLoaded").GetBoolean());
        Assert.Equal("2026-03-10", summary.GetProperty("today").GetString());
        Assert.Equal((3000m, 3UL), (summary.GetProperty("planRevenue").GetDecimal(), summary.GetProperty("planTickets").GetUInt64()));
        Assert.Equal((2000m, 2UL), (summary.GetProperty("planRevenueToDate").GetDecimal(), summary.GetProperty("planTicketsToDate").GetUInt64()));

        // Event 1 planned 2000 up to today and 3000 in all; its fact is the 1000, 1500 and 700 of SampleData: 1200 (60 %) ahead.
        Assert.Equal(
            ["1|3000|2000|3200|1200|0.6"],
            DashboardApiTests.Rows(await _dashboard.GetJsonAsync("/api/plan/rows?from=2026-03-09&to=2026-04-30&event=1"),
                "eventId", "planRevenue", "planRevenueToDate", "factRevenue", "diffToDate", "diffToDatePct"));

        Assert.Equal(
            ["2026-03-09|0|1000", "2026-03-10|2000|3300", "2026-03-11|3000|", "2026-03-12|3000|"],
            DashboardApiTests.Rows(await _dashboard.GetJsonAsync("/api/plan/cumulative?from=2026-03-09&to=2026-03-12"), "d", "planRevenueCum", "factRevenueCum"));
    }

    [Fact]
    public async Task A_period_without_plan_is_not_a_store_without_plan()
    {
        var summary = await _dashboard.GetJsonAsync("/api/plan/summary?from=2026-05-01&to=2026-05-31");
        Assert.True(summary.GetProperty("planLoaded").GetBoolean());
        Assert.Equal(0m, summary.GetProperty("planRevenue").GetDecimal());

        await schema.Store.ExecuteAsync("TRUNCATE TABLE zakaz.plan_sales");
        await schema.Store.ExecuteAsync("TRUNCATE TABLE zakaz.dm_plan_vs_fact_daily");
        await new FactBuilder(schema.Store).RebuildAllAsync();

        Assert.False((await _dashboard.GetJsonAsync("/api/plan/summary?from=2026-03-09&to=2026-03-12")).GetProperty("planLoaded").GetBoolean());
    }
}
