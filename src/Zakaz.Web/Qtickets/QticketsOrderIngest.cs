using System.Text;
using Zakaz.Configuration;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Web.Qtickets;

/// <summary>
/// Upserts one order into staging and rebuilds the facts of its sale dates, old and new, applying it
/// only when its <c>updated_at</c> is at least the stored one: webhooks arrive repeated and out of
/// order, and a late one must not undo a newer state. Equal is applied again so that a delivery that
/// failed after writing staging but before the facts is completed by its retry.
/// </summary>
public sealed class QticketsOrderIngest(IClickHouseStore store, QticketsOptions options, TimeProvider? time = null) : IQticketsOrderIngest
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    // The compare and the write must not interleave between two deliveries of one order; webhooks are few.
    private readonly SemaphoreSlim _writes = new(1, 1);

    public async Task<bool> IngestAsync(QticketsOrder order, CancellationToken cancellationToken)
    {
        await _writes.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.QueryAsync("""
                SELECT updated_at, payed_at
                FROM zakaz.stg_qtickets_api_orders_raw FINAL
                WHERE order_id = {id:UInt64}
                """, new QueryParameters().Add("id", checked((ulong)order.Id)), cancellationToken: cancellationToken);
            if (stored.Rows.Count > 0 && stored.Get<DateTimeOffset>(0, 0) > order.UpdatedAt)
            {
                return false;
            }

            var mapped = new OrderMapper(await BuyerKeySecretAsync(cancellationToken)).Map(order, LoadStamp.At(_time.GetUtcNow()));
            // The order row goes last: its updated_at is what later deliveries compare with, so it
            // must not claim a version whose tickets are not stored yet.
            if (mapped.Tickets.Count > 0)
            {
                await store.InsertAsync(QticketsTables.Tickets, QticketsTables.TicketSchema, mapped.Tickets, cancellationToken: cancellationToken);
            }
            await store.InsertAsync(QticketsTables.Orders, QticketsTables.OrderSchema, [mapped.Order], cancellationToken: cancellationToken);

            // A refund or cancellation changes the date the order was sold on, which the stored row knows.
            var dates = new HashSet<DateOnly>();
            if (order.PayedAt is { } payedAt)
            {
                dates.Add(QticketsSync.MoscowDate(payedAt));
            }
            if (stored.Rows.Count > 0 && stored.Get<DateTimeOffset?>(0, 1) is { } previous)
            {
                dates.Add(QticketsSync.MoscowDate(previous));
            }
            await new FactBuilder(store).RebuildForLoadAsync(dates, cancellationToken);
            return true;
        }
        finally
        {
            _writes.Release();
        }
    }

    /// <summary>
    /// The sync's buyer-key secret, so a buyer gets the same buyer_key whichever way the order came.
    /// Before the first sync has generated one there is none to share, and making one here would race
    /// the sync's; the delivery fails and Qtickets retries it.
    /// </summary>
    private async Task<byte[]> BuyerKeySecretAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(options.BuyerKeySecret))
        {
            return Encoding.UTF8.GetBytes(options.BuyerKeySecret);
        }
        return await new QticketsWatermarks(store).ReadAsync(QticketsWatermarks.BuyerKeySecret, cancellationToken) is { } stored
            ? Convert.FromHexString(stored)
            : throw new ConfigurationException(
                "No buyer-key secret yet: set ZAKAZ_BUYER_KEY_SECRET or run `zakaz sync qtickets` once, which generates one.");
    }
}
