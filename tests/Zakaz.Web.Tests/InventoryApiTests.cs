using Zakaz.Pipeline.Tests;
using Zakaz.Storage;
using Zakaz.Testing;
using Zakaz.Web.Dashboard.Api;

namespace Zakaz.Web.Tests;

/// <summary>
/// The Events &amp; inventory endpoints. "Upcoming" and "the last 7 days" depend on today, so these
/// rows are dated relative to it: one event in 10 days at 30 % sold, one in 60 days at 75 %,
/// one that ended yesterday (not listed). <see cref="InventoryRiskApiTests"/> covers the risk rule case by case.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class InventoryApiTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private Dashboard _dashboard = null!;
    private DateOnly _today;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        _today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Moscow).DateTime);
        await EventAsync(1, "Скоро", "москва", _today.AddDays(10), capacity: 100, left: 70);
        await EventAsync(2, "Позже", "казань", _today.AddDays(60), capacity: 200, left: 50);
        await EventAsync(3, "Прошло", "москва", _today.AddDays(-1), capacity: 10, left: 0);
        var yesterday = _today.AddDays(-1).ToDateTime(new TimeOnly(15, 0));
        var staging = new Staging(schema.Store);
        await staging.Sale(7, 1, new DateTimeOffset(yesterday, TimeSpan.FromHours(3)), 500m, 500m, 500m);
        await new Pipeline.Facts.FactBuilder(schema.Store).RebuildAllAsync();
        _dashboard = await Dashboard.StartAsync(schema.Store);
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Upcoming_events_with_sell_through_velocity_and_risk()
    {
        // Projected from today in Moscow: 70 left at 3 tickets a week is ceil(70 / (3 / 7)) = 164 days, after the show in
        // 10 days: at risk. The later event sold nothing in 7 days with 50 left: at risk too. At risk first, then soonest.
        var table = await _dashboard.GetJsonAsync("/api/inventory/events");

        Assert.Equal(
            [
                $"1|Скоро|москва|{_today.AddDays(10):yyyy-MM-dd}|100|30|70|0.3|3|{_today.AddDays(164):yyyy-MM-dd}|true|10|{InventoryEndpoints.SellsOutAfterShow}",
                $"2|Позже|казань|{_today.AddDays(60):yyyy-MM-dd}|200|150|50|0.75|0||true|60|{InventoryEndpoints.NoSales}",
            ],
            DashboardApiTests.Rows(table, "eventId", "eventName", "city", "startDate", "capacity", "sold", "left", "sellThrough", "tickets7d", "projectedSelloutDate", "atRisk",
                "daysUntilShow", "riskReason"));
        Assert.Equal(["2|Позже"], DashboardApiTests.Rows(await _dashboard.GetJsonAsync("/api/inventory/events?city=казань"), "eventId", "eventName"));
    }

    [Fact]
    public async Task An_events_daily_curve_is_its_whole_history()
    {
        var table = await _dashboard.GetJsonAsync("/api/inventory/events/1/daily?from=2020-01-01&to=2020-01-02");

        Assert.Equal([$"{_today.AddDays(-1):yyyy-MM-dd}|3|1500"], DashboardApiTests.Rows(table, "d", "tickets", "revenue"));
    }

    private async Task EventAsync(ulong id, string name, string city, DateOnly start, uint capacity, uint left)
    {
        var parameters = new QueryParameters()
            .Add("id", id).Add("name", name).Add("city", city)
            .Add("start", start.ToDateTime(new TimeOnly(19, 0))).Add("capacity", capacity).Add("left", left);
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.dim_events (event_id, event_name, city, start_date, end_date, deleted, _ver)
            VALUES ({id:UInt64}, {name:String}, {city:String}, {start:DateTime('Europe/Moscow')}, {start:DateTime('Europe/Moscow')}, 0, 1)
            """, parameters);
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.fact_qtickets_inventory_latest (snapshot_ts, event_id, event_name, city, tickets_total, tickets_left, _ver)
            VALUES (now(), {id:UInt64}, {name:String}, {city:String}, {capacity:UInt32}, {left:UInt32}, 1)
            """, parameters);
    }
}
