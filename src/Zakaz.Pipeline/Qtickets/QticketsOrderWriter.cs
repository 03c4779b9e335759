using Zakaz.Pipeline.Facts;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// Orders into staging, for the sync (a batch) and the webhook (one order) alike, so both key buyers,
/// version rows and find the sale dates to rebuild the same way.
/// </summary>
/// <remarks>
/// A row's <c>_ver</c> comes from the order's own <c>updated_at</c>, not from when it was loaded: the
/// sync fetches first and writes later, so a webhook stored in between would otherwise be replaced by
/// the sync's older copy. With the state's time as the version the newest state wins whatever order
/// the copies arrive in, and copies of one state tie, where ReplacingMergeTree keeps the last insert.
/// The factor keeps these versions above the load-time milliseconds that rows written before carry.
/// </remarks>
public sealed class QticketsOrderWriter(IClickHouseStore store, QticketsOptions options, TimeProvider? time = null)
{
    private const int IdsPerQuery = 1000;
    private const ulong VersionsPerMillisecond = 1000;

    private readonly BuyerKeySecret _buyerKeySecret = new(store, options, time);

    // One order's compare and write must not interleave with another delivery of it; webhooks are few.
    private readonly SemaphoreSlim _singleWrites = new(1, 1);

    /// <summary>A mapper keyed with this store's buyer-key secret (generated on first use unless configured).</summary>
    public async Task<OrderMapper> MapperAsync(bool dryRun, CancellationToken cancellationToken) =>
        new(await _buyerKeySecret.ReadAsync(dryRun, cancellationToken));

    public static MappedOrder Map(OrderMapper mapper, QticketsOrder order, DateTimeOffset loadedAt) =>
        mapper.Map(order, new LoadStamp(checked((ulong)order.UpdatedAt.ToUnixTimeMilliseconds() * VersionsPerMillisecond), loadedAt));

    /// <summary>
    /// The sale dates of the orders, new state and old: an order cancelled or refunded since the last
    /// load still counts on the date it was paid before, so that date is rebuilt too.
    /// </summary>
    public async Task<IReadOnlyList<DateOnly>> TouchedDatesAsync(IReadOnlyList<QticketsOrderRow> orders, CancellationToken cancellationToken)
    {
        var dates = orders.Where(o => o.PayedAt is not null).Select(o => OrderWindow.MoscowDate(o.PayedAt!.Value)).ToHashSet();
        foreach (var chunk in orders.Select(o => o.OrderId).Chunk(IdsPerQuery))
        {
            var previous = await store.QueryAsync("""
                SELECT DISTINCT toDate(payed_at) AS sale_date
                FROM zakaz.stg_qtickets_api_orders_raw FINAL
                WHERE order_id IN {ids:Array(UInt64)} AND payed_at IS NOT NULL
                """, new QueryParameters().Add("ids", chunk), cancellationToken: cancellationToken);
            dates.UnionWith(Enumerable.Range(0, previous.Rows.Count).Select(i => previous.Get<DateOnly>(i, 0)));
        }
        return dates.Order().ToArray();
    }

    /// <summary>
    /// Tickets first, orders last: the order row's <c>updated_at</c> is what the webhook compares with,
    /// so it must not claim a state whose tickets are not stored yet.
    /// </summary>
    public async Task WriteAsync(IReadOnlyList<QticketsOrderRow> orders, IReadOnlyList<QticketsTicketRow> tickets, CancellationToken cancellationToken)
    {
        if (tickets.Count > 0)
        {
            await store.InsertAsync(QticketsTables.Tickets, QticketsTables.TicketSchema, tickets, cancellationToken: cancellationToken);
        }
        if (orders.Count > 0)
        {
            await store.InsertAsync(QticketsTables.Orders, QticketsTables.OrderSchema, orders, cancellationToken: cancellationToken);
        }
    }

    /// <summary>
    /// Stores one order as received and rebuilds the facts of its sale dates, old and new. Returns false,
    /// writing nothing, when the store holds a newer state (a late or repeated webhook). Equal is applied
    /// again so that a delivery that failed after staging but before the facts is completed by its retry.
    /// </summary>
    public async Task<bool> WriteOneAsync(QticketsOrder order, DateTimeOffset loadedAt, CancellationToken cancellationToken = default)
    {
        await _singleWrites.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.QueryAsync(
                "SELECT updated_at FROM zakaz.stg_qtickets_api_orders_raw FINAL WHERE order_id = {id:UInt64}",
                new QueryParameters().Add("id", checked((ulong)order.Id)), cancellationToken: cancellationToken);
            if (stored.Rows.Count > 0 && stored.Get<DateTimeOffset>(0, 0) > order.UpdatedAt)
            {
                return false;
            }
            var mapped = Map(await MapperAsync(dryRun: false, cancellationToken), order, loadedAt);
            var dates = await TouchedDatesAsync([mapped.Order], cancellationToken);
            await WriteAsync([mapped.Order], mapped.Tickets, cancellationToken);
            await new FactBuilder(store, time).RebuildForLoadAsync(dates, cancellationToken);
            return true;
        }
        finally
        {
            _singleWrites.Release();
        }
    }
}
