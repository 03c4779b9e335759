using Zakaz.Pipeline.Qtickets;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Sources.Qtickets.Tests;

[CollectionDefinition(ZakazSchemaFixture.CollectionName)]
public sealed class ZakazSchemaCollection : ICollectionFixture<ZakazSchemaFixture>;

/// <summary>The row schemas against the real migrated tables in the embedded store.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class StagingTablesTests(ZakazSchemaFixture schema)
{
    public static TheoryData<string, string[]> Schemas => new()
    {
        { QticketsTables.Orders, Names(QticketsTables.OrderSchema.Columns) },
        { QticketsTables.Tickets, Names(QticketsTables.TicketSchema.Columns) },
        { QticketsTables.Events, Names(QticketsTables.EventSchema.Columns) },
        { QticketsTables.Shows, Names(QticketsTables.ShowSchema.Columns) },
        { QticketsTables.Inventory, Names(QticketsTables.InventorySchema.Columns) },
    };

    [Theory]
    [MemberData(nameof(Schemas))]
    public async Task Each_schema_fills_every_column_of_its_table_with_the_table_type(string table, string[] columns)
    {
        var name = table.Split('.')[1];
        var result = await schema.Store.QueryAsync(
            "SELECT name, type FROM system.columns WHERE database = 'zakaz' AND table = {table:String} ORDER BY position",
            new QueryParameters().Add("table", name));

        Assert.Equal(result.Rows.Select(r => $"{r[0]} {r[1]}"), columns);
    }

    [Fact]
    public async Task The_mapped_fixtures_insert_and_read_back_with_the_expected_totals()
    {
        await schema.ResetDataAsync();
        var orderMapper = new OrderMapper(Fixtures.BuyerKeySecret);
        var mapped = (await Fixtures.OrdersAsync()).Select(o => orderMapper.Map(o, Fixtures.Stamp)).ToList();
        var events = await Fixtures.EventsAsync();
        var eventMapper = new EventMapper();
        var store = schema.Store;

        await store.InsertAsync(QticketsTables.Orders, QticketsTables.OrderSchema, mapped.Select(m => m.Order));
        await store.InsertAsync(QticketsTables.Tickets, QticketsTables.TicketSchema, mapped.SelectMany(m => m.Tickets));
        await store.InsertAsync(QticketsTables.Events, QticketsTables.EventSchema, events.Select(e => eventMapper.MapEvent(e, Fixtures.Stamp)));
        await store.InsertAsync(QticketsTables.Shows, QticketsTables.ShowSchema, events.SelectMany(e => eventMapper.MapShows(e, Fixtures.Stamp)));
        await store.InsertAsync(QticketsTables.Inventory, QticketsTables.InventorySchema,
            [eventMapper.MapInventory(events[0], events[0].Shows[0], new ShowInventory(204, 146), Fixtures.Stamp.LoadedAt, Fixtures.Stamp)]);

        var totals = await store.QueryAsync(
            "SELECT toString(sum(tickets_sold)), toString(sum(revenue)), toString(sum(refunded_amount)), toString(toDate(max(sale_ts))) " +
            "FROM zakaz.stg_qtickets_api_orders_raw FINAL WHERE payed = 1 AND deleted_at IS NULL");
        Assert.Equal(["10", "15900", "1500", "2025-11-09"], totals.Rows.Single().Select(v => (string)v!));
        var dates = await store.QueryAsync("SELECT toString(toDate(start_date)), toString(toDate(end_date)), city FROM zakaz.dim_events FINAL ORDER BY event_id");
        Assert.Equal(["2025-11-15 2025-12-14 новосибирск", "2026-01-10 2026-01-10 екатеринбург"], dates.Rows.Select(r => string.Join(' ', r)));
        var counts = await store.QueryAsync(
            "SELECT toString(count()) FROM zakaz.stg_qtickets_api_tickets_raw FINAL UNION ALL SELECT toString(count()) FROM zakaz.dim_shows FINAL " +
            "UNION ALL SELECT toString(sum(tickets_total) - sum(tickets_left)) FROM zakaz.stg_qtickets_api_inventory_raw FINAL");
        Assert.Equal(["13", "4", "58"], counts.Rows.Select(r => (string)r[0]!).Order());
    }

    private static string[] Names(IReadOnlyList<QueryColumn> columns) => columns.Select(c => $"{c.Name} {c.Type}").ToArray();
}
