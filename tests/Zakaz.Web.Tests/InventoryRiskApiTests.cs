using Zakaz.Pipeline.Tests;
using Zakaz.Storage;
using Zakaz.Testing;
using Zakaz.Web.Dashboard.Api;

namespace Zakaz.Web.Tests;

/// <summary>
/// The inventory risk rule of dashboards.md case by case: at risk when tickets are left and the projected sell-out
/// (today + left / velocity) falls after the last show, or nothing sold in 7 days; a deleted event is never listed.
/// Dates are relative to today, the projection counts from a fake Moscow "now".
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class InventoryRiskApiTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateOnly Today = new(2026, 6, 1);
    private Dashboard _dashboard = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        // Sells out in time: 10 left at 7 a week is 10 days, the show is in 30.
        await EventAsync(1, "Успеет", "москва", Today.AddDays(30), Today.AddDays(30), capacity: 100, left: 10);
        // Runs three more weeks after its first show; 30 left at 7 a week is 30 days, after its last show in 21: at risk.
        await EventAsync(2, "Фестиваль", "казань", Today.AddDays(-2), Today.AddDays(21), capacity: 100, left: 30);
        // Sold out: nothing left to sell, whatever the pace.
        await EventAsync(3, "Аншлаг", "москва", Today.AddDays(5), Today.AddDays(5), capacity: 50, left: 0);
        // Nothing sold in 7 days with seats left: at risk.
        await EventAsync(4, "Тишина", "москва", Today.AddDays(90), Today.AddDays(90), capacity: 80, left: 80);
        // Deleted: never shown as live.
        await EventAsync(5, "Удалить - Тишина", "москва", Today.AddDays(40), Today.AddDays(40), capacity: 80, left: 80, deleted: true);
        var staging = new Staging(schema.Store);
        // One ticket a day over the 7 days up to today (its morning, before "now").
        for (var day = 0; day < 7; day++)
        {
            var paid = new DateTimeOffset(Today.AddDays(-day).ToDateTime(new TimeOnly(9, 0)), TimeSpan.FromHours(3));
            await staging.Sale((ulong)(10 + day), 1, paid, 100m);
            await staging.Sale((ulong)(20 + day), 2, paid, 100m);
        }
        // A sale 7 days ago is outside the velocity window.
        await staging.Sale(30, 4, new DateTimeOffset(Today.AddDays(-7).ToDateTime(new TimeOnly(14, 0)), TimeSpan.FromHours(3)), 100m);
        await new Pipeline.Facts.FactBuilder(schema.Store).RebuildAllAsync();
        _dashboard = await Dashboard.StartAsync(schema.Store, o =>
        {
            o.Time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Staging.Msk(Today.Year, Today.Month, Today.Day, 10, 0));
            o.AnswerCacheTtl = TimeSpan.Zero;
        });
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task At_risk_events_come_first_then_the_soonest_with_days_until_the_show()
    {
        var table = await _dashboard.GetJsonAsync("/api/inventory/events");

        Assert.Equal(
            [
                $"2|7|{Today.AddDays(30):yyyy-MM-dd}|true|0|{InventoryEndpoints.SellsOutAfterShow}",
                $"4|0||true|90|{InventoryEndpoints.NoSales}",
                $"3|0||false|5|",
                $"1|7|{Today.AddDays(10):yyyy-MM-dd}|false|30|",
            ],
            DashboardApiTests.Rows(table, "eventId", "tickets7d", "projectedSelloutDate", "atRisk", "daysUntilShow", "riskReason"));
    }

    private async Task EventAsync(ulong id, string name, string city, DateOnly start, DateOnly end, uint capacity, uint left, bool deleted = false)
    {
        var parameters = new QueryParameters()
            .Add("id", id).Add("name", name).Add("city", city).Add("deleted", deleted ? 1 : 0)
            .Add("start", start.ToDateTime(new TimeOnly(19, 0))).Add("end", end.ToDateTime(new TimeOnly(22, 0)))
            .Add("capacity", capacity).Add("left", left);
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.dim_events (event_id, event_name, city, start_date, end_date, deleted, _ver)
            VALUES ({id:UInt64}, {name:String}, {city:String}, {start:DateTime('Europe/Moscow')}, {end:DateTime('Europe/Moscow')}, {deleted:UInt8}, 1)
            """, parameters);
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.fact_qtickets_inventory_latest (snapshot_ts, event_id, event_name, city, tickets_total, tickets_left, _ver)
            VALUES (now(), {id:UInt64}, {name:String}, {city:String}, {capacity:UInt32}, {left:UInt32}, 1)
            """, parameters);
    }
}
