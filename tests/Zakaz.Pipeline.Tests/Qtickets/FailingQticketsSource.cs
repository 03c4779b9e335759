using System.Runtime.CompilerServices;
using Zakaz.Sources.Qtickets;

namespace Zakaz.Pipeline.Tests.Qtickets;

/// <summary>The fixtures, except that the order list dies after its first page, as a network cut would.</summary>
internal sealed class FailingQticketsSource(IQticketsSource inner) : IQticketsSource
{
    public async IAsyncEnumerable<QticketsPage<QticketsOrder>> ListOrderPagesAsync(OrderListRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var page in inner.ListOrderPagesAsync(request, cancellationToken))
        {
            yield return page;
            throw new QticketsException("Qtickets POST /orders: connection reset (test)");
        }
    }

    public IAsyncEnumerable<QticketsOrder> ListOrdersAsync(OrderListRequest request, CancellationToken cancellationToken = default) =>
        inner.ListOrdersAsync(request, cancellationToken);

    public Task<QticketsPage<QticketsOrder>> GetOrderPageAsync(OrderListRequest request, int page, CancellationToken cancellationToken = default) =>
        inner.GetOrderPageAsync(request, page, cancellationToken);

    public Task<QticketsOrder?> GetOrderAsync(long orderId, CancellationToken cancellationToken = default) => inner.GetOrderAsync(orderId, cancellationToken);

    public IAsyncEnumerable<QticketsEvent> ListEventsAsync(CancellationToken cancellationToken = default) => inner.ListEventsAsync(cancellationToken);

    public Task<ShowInventory?> GetShowSeatsAsync(long showId, CancellationToken cancellationToken = default) => inner.GetShowSeatsAsync(showId, cancellationToken);

    public Task<OptionalResource<QticketsDiscount>> ListDiscountsAsync(CancellationToken cancellationToken = default) => inner.ListDiscountsAsync(cancellationToken);

    public Task<OptionalResource<QticketsPromoCode>> ListPromoCodesAsync(CancellationToken cancellationToken = default) => inner.ListPromoCodesAsync(cancellationToken);
}
