using System.Runtime.InteropServices;

namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// The generated promoter's whole state: events, shows with their seat maps, discounts and the orders. Requests read
/// it under a shared lock while tests mutate it (refunds, cancellations, new orders) under an exclusive one; every
/// change bumps <see cref="Version"/>, which invalidates the cached ground truth.
/// </summary>
internal sealed class TicketOffice(int seed, long anchor, int clientPool, IReadOnlyList<PromoterEvent> events,
    IReadOnlyList<UtmTag> utmTags, IReadOnlyList<Discount> discounts, IReadOnlyList<PromoCode> promoCodes)
{
    public const int FirstOrderId = 4_000_001;
    public const int FirstBasketId = 40_000_001;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly Dictionary<int, int> _eventIndexById = Positions(events.Select(e => e.Id));
    private readonly Dictionary<int, int> _showIndexById = Positions(events.SelectMany(e => e.Shows).Select(s => s.Id).Order());
    private QticketsGroundTruth? _truth;

    public int Seed { get; } = seed;

    /// <summary>"Now" for the generated history: nothing happens after it unless a test makes it happen.</summary>
    public long Anchor { get; } = anchor;

    /// <summary>How many distinct buyers there are; repeat buyers come from the same pool.</summary>
    public int ClientPool { get; } = clientPool;

    public IReadOnlyList<PromoterEvent> Events { get; } = events;

    /// <summary>Every show, ordered by id; <see cref="BasketRow.ShowIndex"/> points here.</summary>
    public IReadOnlyList<PromoterShow> Shows { get; } = [.. events.SelectMany(e => e.Shows).OrderBy(s => s.Id)];

    public IReadOnlyList<UtmTag> UtmTags { get; } = utmTags;

    public IReadOnlyList<Discount> Discounts { get; } = discounts;

    public IReadOnlyList<PromoCode> PromoCodes { get; } = promoCodes;

    /// <summary>Orders in ascending id (and creation) order; their baskets are contiguous in <see cref="Baskets"/>.</summary>
    public List<OrderRow> Orders { get; } = [];

    public List<BasketRow> Baskets { get; } = [];

    public long Version { get; private set; }

    public int LastOrderId => Orders.Count == 0 ? FirstOrderId - 1 : Orders[^1].Id;

    public int LastBasketId => Baskets.Count == 0 ? FirstBasketId - 1 : Baskets[^1].Id;

    public T Read<T>(Func<TicketOffice, T> read)
    {
        _lock.EnterReadLock();
        try
        {
            return read(this);
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public T Write<T>(Func<TicketOffice, T> write)
    {
        _lock.EnterWriteLock();
        try
        {
            T result = write(this);
            Version++;
            return result;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    public void Write(Action<TicketOffice> write) => Write(office =>
    {
        write(office);
        return 0;
    });

    public QticketsGroundTruth Truth => Read(office =>
    {
        QticketsGroundTruth? truth = office._truth;
        if (truth is null || truth.Version != office.Version)
        {
            // Two readers may compute it at once; both results are equal, so the race is harmless.
            truth = QticketsGroundTruth.Compute(office);
            office._truth = truth;
        }
        return truth;
    });

    public int? FindEvent(int eventId) => _eventIndexById.TryGetValue(eventId, out int index) ? index : null;

    public int? FindShow(int showId) => _showIndexById.TryGetValue(showId, out int index) ? index : null;

    public int? FindOrder(long orderId) =>
        CollectionsMarshal.AsSpan(Orders).BinarySearch(new OrderId(orderId)) is var index and >= 0 ? index : null;

    public Span<BasketRow> BasketsOf(in OrderRow order) =>
        CollectionsMarshal.AsSpan(Baskets).Slice(order.FirstBasket, order.BasketCount);

    public ShowZone ZoneOf(in BasketRow basket) => Shows[basket.ShowIndex].Zones[basket.ZoneIndex];

    /// <summary>
    /// What the ad sandboxes size a campaign's spend by, in one pass over the sales: each event's first and last sale
    /// and, per UTM tag <paramref name="platformTag"/> accepts, what its sales' live baskets brought.
    /// </summary>
    public AdvertisedSales Advertised(Func<UtmTag, bool> platformTag)
    {
        var sales = new AdvertisedSales(new long[Events.Count], new long[Events.Count], []);
        foreach (OrderRow order in Orders)
        {
            if (!order.IsSale)
            {
                continue;
            }
            ref long first = ref sales.FirstSale[order.EventIndex];
            first = first == 0 ? order.PayedAt : Math.Min(first, order.PayedAt);
            ref long last = ref sales.LastSale[order.EventIndex];
            last = Math.Max(last, order.PayedAt);
            if (order.UtmIndex >= 0 && platformTag(UtmTags[order.UtmIndex]))
            {
                ref long revenue = ref CollectionsMarshal.GetValueRefOrAddDefault(sales.RevenueByTag, order.UtmIndex, out _);
                foreach (BasketRow basket in BasketsOf(order))
                {
                    revenue += basket.IsLive ? basket.PriceKopecks : 0;
                }
            }
        }
        return sales;
    }

    /// <summary>A ticket of a sale gives its place back when it is refunded or cancelled.</summary>
    public void RefundBasket(long orderId, long basketId, long at) => Write(office =>
    {
        ref OrderRow order = ref office.OrderRef(orderId);
        if (!order.IsSale)
        {
            throw new InvalidOperationException($"Order {orderId} is not a sale (unpaid or cancelled): nothing to refund.");
        }
        ref BasketRow basket = ref office.BasketRef(order, basketId);
        if (!basket.IsLive)
        {
            throw new InvalidOperationException($"Basket {basketId} of order {orderId} is already refunded or cancelled.");
        }
        RequireAfter(at, basket.UpdatedAt, $"basket {basketId}");
        basket.RefundedAt = at;
        basket.UpdatedAt = at;
        order.UpdatedAt = Math.Max(order.UpdatedAt, at);
        office.ZoneOf(basket).Release(basket.Seat);
    });

    /// <summary>
    /// Cancels an order as the API shows it: <c>deleted_at</c> set, every basket deleted, places freed. A paid order
    /// keeps <c>payed</c>: the spec's sale rule drops it through <c>deleted_at</c>.
    /// </summary>
    public void CancelOrder(long orderId, long at) => Write(office =>
    {
        ref OrderRow order = ref office.OrderRef(orderId);
        if (order.DeletedAt != 0)
        {
            throw new InvalidOperationException($"Order {orderId} is already cancelled.");
        }
        RequireAfter(at, order.CreatedAt, $"order {orderId}");
        foreach (ref BasketRow basket in office.BasketsOf(order))
        {
            if (basket.IsLive)
            {
                office.ZoneOf(basket).Release(basket.Seat);
            }
            basket.DeletedAt = at;
            basket.UpdatedAt = Math.Max(basket.UpdatedAt, at);
        }
        order.DeletedAt = at;
        order.UpdatedAt = Math.Max(order.UpdatedAt, at);
    });

    public IReadOnlyList<long> AddOrders(int count, long until) => Write(office =>
    {
        long from = office.Orders.Count == 0 ? office.Anchor : office.Orders[^1].CreatedAt;
        RequireAfter(until, from, "the newest order");
        var ids = new List<long>(count);
        for (int i = 1; i <= count; i++)
        {
            long createdAt = from + (until - from) * i / count;
            int eventIndex = OrderMaker.PickOpenEvent(office, createdAt, office.Orders.Count);
            ids.Add(OrderMaker.Append(office, eventIndex, createdAt));
        }
        return ids;
    });

    private ref OrderRow OrderRef(long orderId) =>
        ref CollectionsMarshal.AsSpan(Orders)[FindOrder(orderId) ?? throw new KeyNotFoundException($"No order {orderId}.")];

    private ref BasketRow BasketRef(in OrderRow order, long basketId)
    {
        Span<BasketRow> baskets = BasketsOf(order);
        for (int i = 0; i < baskets.Length; i++)
        {
            if (baskets[i].Id == basketId)
            {
                return ref baskets[i];
            }
        }
        throw new KeyNotFoundException($"Order {order.Id} has no basket {basketId}.");
    }

    private static Dictionary<int, int> Positions(IEnumerable<int> ids) =>
        ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i);

    private static void RequireAfter(long at, long earliest, string what)
    {
        if (at <= earliest)
        {
            throw new ArgumentOutOfRangeException(nameof(at),
                $"The change must come after the last change of {what} ({SandboxTime.Format(earliest)}).");
        }
    }

    private readonly record struct OrderId(long Id) : IComparable<OrderRow>
    {
        public int CompareTo(OrderRow other) => Id.CompareTo(other.Id);
    }
}
