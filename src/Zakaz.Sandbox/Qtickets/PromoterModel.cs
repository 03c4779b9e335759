namespace Zakaz.Sandbox.Qtickets;

// Times are Unix seconds, 0 meaning null: 126,000 orders must fit in a few tens of megabytes, and every
// timestamp the API sends is rendered from these on each request.

/// <summary>One <c>utm</c> object; orders point at a shared table of them. Null keys are left out of the object.</summary>
internal sealed record UtmTag(string Source, string? Medium, string? Campaign, string? Content, string? Term);

/// <param name="FirstSale">Per event, when its first sale was paid; 0 when it sold nothing.</param>
/// <param name="LastSale">Per event, when its last sale was paid.</param>
/// <param name="RevenueByTag">Kopecks of live baskets per index into <see cref="TicketOffice.UtmTags"/>; a tag without sales has no entry.</param>
internal sealed record AdvertisedSales(long[] FirstSale, long[] LastSale, Dictionary<int, long> RevenueByTag);

/// <param name="UtmTags">Indexes into <see cref="TicketOffice.UtmTags"/> of the campaigns that advertise this event.</param>
/// <param name="UtmWeights">How often each of <paramref name="UtmTags"/> brings a buyer.</param>
/// <param name="Popularity">Relative demand; the generator spreads orders by it.</param>
internal sealed record PromoterEvent(int Id, string Name, City City, Genre Genre, string Slug, string PlaceName,
    string PlaceAddress, double Latitude, double Longitude, long CreatedAt, long UpdatedAt, long DeletedAt,
    IReadOnlyList<PromoterShow> Shows, IReadOnlyList<int> UtmTags, double[] UtmWeights, double Popularity);

/// <param name="HasPriceRange">Some real shows carry <c>min_price</c>/<c>max_price</c> null.</param>
internal sealed record PromoterShow(int Id, int EventIndex, long StartAt, long FinishAt, long CreatedAt, long DeletedAt,
    long SaleStartAt, bool HasPriceRange, IReadOnlyList<ShowZone> Zones)
{
    public ShowZone AdmissionZone => Zones[^1];
}

/// <summary>
/// A zone of a show's seat map and which of its places are taken. A seated zone has rows × places seats of one
/// place each; an admission zone is one record standing for <see cref="Capacity"/> places (its seat id is shared by
/// every ticket sold in it).
/// </summary>
internal sealed class ShowZone(string id, string name, int priceId, long priceKopecks, int colorTheme, int rows,
    int places, bool[] disabled)
{
    private readonly bool[] _held = new bool[rows * places];
    private int _nextSeat;

    /// <summary>An admission zone: one record, capacity set as tickets are sold and then given headroom.</summary>
    public ShowZone(string id, string name, int priceId, long priceKopecks, int colorTheme)
        : this(id, name, priceId, priceKopecks, colorTheme, 0, 0, [])
    {
        Admission = true;
    }

    public string Id { get; } = id;

    public string Name { get; } = name;

    public bool Admission { get; private init; }

    public int PriceId { get; } = priceId;

    public long PriceKopecks { get; } = priceKopecks;

    public int ColorTheme { get; } = colorTheme;

    public int Rows { get; } = rows;

    public int Places { get; } = places;

    /// <summary>Admission places (max_quantity of the admission record).</summary>
    public int Capacity { get; set; }

    /// <summary>Places taken by sold tickets: seated seats held, or admission tickets.</summary>
    public int HeldCount { get; private set; }

    public int SeatCount => Rows * Places;

    public bool IsDisabled(int seat) => disabled.Length > 0 && disabled[seat];

    public bool IsHeld(int seat) => _held[seat];

    /// <summary>
    /// Takes the next free seat (seats go in row order, so an order's tickets sit together), or an admission
    /// place; the admission capacity grows when a sale would overfill it. Null when a seated zone is full.
    /// </summary>
    public int? Take()
    {
        if (Admission)
        {
            HeldCount++;
            Capacity = Math.Max(Capacity, HeldCount);
            return 0;
        }
        while (_nextSeat < _held.Length && (IsDisabled(_nextSeat) || _held[_nextSeat]))
        {
            _nextSeat++;
        }
        if (_nextSeat == _held.Length)
        {
            return null;
        }
        _held[_nextSeat] = true;
        HeldCount++;
        return _nextSeat++;
    }

    public void Release(int seat)
    {
        if (!Admission)
        {
            _held[seat] = false;
        }
        HeldCount--;
    }

    /// <summary>Non-disabled places: the capacity the spec's rule counts.</summary>
    public int LiveCapacity => Admission ? Capacity : SeatCount - disabled.Count(d => d);
}

[Flags]
internal enum OrderTraits : ushort
{
    None = 0,
    ReserveExtended = 1,

    /// <summary>Made in the back office: <c>backend_user_id</c> set, never tagged.</summary>
    BackOffice = 2,
    RoistatVisit = 4,
    RoistatVisitNull = 8,
    PayByBankcard = 16,

    /// <summary><c>payment_type_id</c> as a numeric string, no card number.</summary>
    PayByNumericType = 32,

    /// <summary>Bought on the tenant's second site.</summary>
    SecondSite = 64,
}

internal struct OrderRow
{
    public int Id;
    public int EventIndex;
    public int FirstBasket;
    public int BasketCount;
    public int ClientId;
    public long CreatedAt;
    public long ReservedTo;
    public long PayedAt;
    public long UpdatedAt;
    public long DeletedAt;

    /// <summary>Index into <see cref="TicketOffice.UtmTags"/>; -1 for an untagged order (<c>utm: []</c>).</summary>
    public int UtmIndex;

    /// <summary>Index into <see cref="TicketOffice.Discounts"/>, or -1.</summary>
    public short DiscountIndex;

    /// <summary>Index into <see cref="TicketOffice.PromoCodes"/>, or -1.</summary>
    public short PromoCodeIndex;

    public OrderTraits Traits;

    public readonly bool Payed => PayedAt != 0;

    /// <summary>The spec's sale: paid and not cancelled.</summary>
    public readonly bool IsSale => PayedAt != 0 && DeletedAt == 0;
}

internal struct BasketRow
{
    public int Id;
    public int ShowIndex;
    public byte ZoneIndex;

    /// <summary>Seat index within a seated zone (row-major); 0 for admission.</summary>
    public int Seat;
    public long OriginalKopecks;
    public long DiscountKopecks;
    public long CreatedAt;
    public long UpdatedAt;
    public long DeletedAt;
    public long RefundedAt;
    public long CheckedAt;

    /// <summary>The ticket holder is someone other than the buyer.</summary>
    public bool Companion;

    public readonly long PriceKopecks => OriginalKopecks - DiscountKopecks;

    public readonly bool IsLive => DeletedAt == 0 && RefundedAt == 0;
}

/// <summary>A discount of <c>/discounts</c>; its percentage lives only in the name, as in the real API.</summary>
internal sealed record Discount(int Id, string Name, int Percent, bool IsActive, long ActiveFrom, long ActiveTo,
    long CreatedAt, long UpdatedAt, long DeletedAt, IReadOnlyList<int> EventIndexes);

internal sealed record PromoCode(int Id, short DiscountIndex, string Code, int MaxUses, bool IsActive, long ActiveFrom,
    long ActiveTo, long CreatedAt, long UpdatedAt, long DeletedAt);
