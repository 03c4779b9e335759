using Microsoft.Extensions.Time.Testing;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Tests;
using Zakaz.Testing;

namespace Zakaz.Web.Tests;

/// <summary>
/// A range that ends today holds a day in progress (dashboards.md, incomplete periods): the daily table marks
/// today partial, and the KPIs compare with the previous period's last day only up to the same Moscow time of
/// day as now (a fake "now" from <see cref="DashboardOptions.Time"/>). Every figure is the sum of the sales below.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class SalesTruthApiTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private readonly FakeTimeProvider _time = new(Staging.Msk(2026, 3, 10, 12, 30));
    private Dashboard _dashboard = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        var staging = new Staging(schema.Store);
        await staging.Event(1, "Концерт А", "москва");
        await staging.Event(2, "Концерт Б", "казань");
        await staging.Sale(1, 1, Staging.Msk(2026, 3, 8, 20, 0), 300m);
        await staging.Sale(2, 1, Staging.Msk(2026, 3, 9, 10, 0), 500m);
        await staging.Sale(3, 2, Staging.Msk(2026, 3, 9, 11, 0), 200m, 200m);
        await staging.Sale(4, 1, Staging.Msk(2026, 3, 9, 15, 0), 700m);
        await staging.Sale(5, 1, Staging.Msk(2026, 3, 10, 9, 0), 400m);
        await new FactBuilder(schema.Store).RebuildAllAsync();
        _dashboard = await Dashboard.StartAsync(schema.Store, o =>
        {
            o.Time = _time;
            o.AnswerCacheTtl = TimeSpan.Zero;
        });
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Today_is_compared_with_yesterday_up_to_the_same_time_of_day()
    {
        var answer = await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-10");

        Assert.True(answer.GetProperty("partialDay").GetBoolean());
        Assert.Equal(Staging.Msk(2026, 3, 9, 12, 30), answer.GetProperty("comparedUntil").GetDateTimeOffset());
        // Today until 12:30: the 400 sale. Yesterday until 12:30: 500 at 10:00 and 2 × 200 at 11:00, not 700 at 15:00.
        AssertKpi(answer, "revenue", 400m, 900m);
        AssertKpi(answer, "tickets", 1m, 3m);
        AssertKpi(answer, "orders", 1m, 2m);
        AssertKpi(answer, "avgTicketPrice", 400m, 300m);

        // The filters hold for the hours of the last day too: Moscow sold only the 10:00 sale by then.
        AssertKpi(await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-10&city=москва"), "revenue", 400m, 500m);
        AssertKpi(await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-10&event=2"), "orders", 0m, 1m);

        // Later in the day the 15:00 sale of yesterday counts as well.
        _time.SetUtcNow(Staging.Msk(2026, 3, 10, 23, 59));
        AssertKpi(await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-10&to=2026-03-10"), "revenue", 400m, 1600m);
    }

    [Fact]
    public async Task Only_the_last_day_of_the_previous_period_is_cut()
    {
        // 9..10 March against 7..8 March: the 8th counts until 12:30, which leaves out its 20:00 sale; the 9th is whole.
        var answer = await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-09&to=2026-03-10");
        AssertKpi(answer, "revenue", 2000m, 0m);
        Assert.Equal("2026-03-08", answer.GetProperty("previousTo").GetString());

        _time.SetUtcNow(Staging.Msk(2026, 3, 10, 20, 0));
        AssertKpi(await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-09&to=2026-03-10"), "revenue", 2000m, 300m);
    }

    [Fact]
    public async Task A_range_of_whole_days_compares_whole_days()
    {
        var answer = await _dashboard.GetJsonAsync("/api/sales/kpis?from=2026-03-09&to=2026-03-09");

        Assert.False(answer.GetProperty("partialDay").GetBoolean());
        Assert.Equal(JsonValueKind.Null, answer.GetProperty("comparedUntil").ValueKind);
        AssertKpi(answer, "revenue", 1600m, 300m);
    }

    [Fact]
    public async Task The_daily_table_marks_today_partial()
    {
        var table = await _dashboard.GetJsonAsync("/api/sales/daily?from=2026-03-08&to=2026-03-11");

        Assert.Equal(
            ["2026-03-08|300|false", "2026-03-09|1600|false", "2026-03-10|400|true", "2026-03-11|0|false"],
            DashboardApiTests.Rows(table, "d", "revenue", "partial"));
    }

    [Fact]
    public async Task A_deleted_event_keeps_its_sales_and_says_it_is_deleted()
    {
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.dim_events (event_id, event_name, city, deleted, _ver) VALUES (2, 'Удалить - Концерт Б', 'казань', 1, 2)
            """);

        Assert.Equal(
            ["1|москва|1900|false", "2|казань|400|true"],
            DashboardApiTests.Rows(await _dashboard.GetJsonAsync("/api/sales/events?from=2026-03-08&to=2026-03-10"), "eventId", "city", "revenue", "eventDeleted"));
    }

    private static void AssertKpi(JsonElement answer, string key, decimal value, decimal previous)
    {
        var kpi = answer.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key);
        Assert.Equal((value, previous), (kpi.GetProperty("value").GetDecimal(), kpi.GetProperty("previous").GetDecimal()));
    }
}
