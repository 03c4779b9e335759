using System.Text.Encodings.Web;

namespace Zakaz.Sandbox.Qtickets;

/// <summary>Sales of one group: sales with at least one sold ticket, sold tickets, and their revenue in roubles.</summary>
public sealed record QticketsTotals(int Orders, int Tickets, decimal Revenue);

/// <summary>An event as the spec derives it: lower-cased city, dates from its live shows (null when none).</summary>
public sealed record QticketsEventTruth(string City, DateTimeOffset? Start, DateTimeOffset? End, bool Deleted);

/// <summary>A live show's inventory over its non-disabled seats.</summary>
public sealed record QticketsShowInventory(int Capacity, int Left)
{
    public int Sold => Capacity - Left;
}

/// <summary>
/// What the spec's §9 rules give for the sandbox's current data, computed from the sandbox's own records (not from
/// its JSON), so an end-to-end test can compare what landed in ClickHouse with it. A sale is a paid order without
/// <c>deleted_at</c>; a sold ticket is a basket of a sale with neither <c>deleted_at</c> nor <c>refunded_at</c>;
/// revenue is the sum of sold tickets' <c>price</c>; the sale date is <c>payed_at</c>'s date in Moscow. As in the shared
/// fixtures' <c>expected_summary.json</c>, a group's <c>Orders</c> counts sales with at least one sold ticket (a
/// fully refunded sale adds nothing), while <see cref="PaidOrders"/> counts every sale.
/// </summary>
public sealed class QticketsGroundTruth
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private QticketsGroundTruth(long version) => Version = version;

    /// <summary>Sales: paid orders without <c>deleted_at</c>.</summary>
    public int PaidOrders { get; private init; }

    /// <summary>Orders with <c>deleted_at</c> set, paid or not.</summary>
    public int CancelledOrders { get; private init; }

    /// <summary>Sales with at least one sold ticket.</summary>
    public int Orders { get; private init; }

    public int TicketsSold { get; private init; }

    public decimal Revenue { get; private init; }

    /// <summary>Sum of <c>refunded_amount</c> over refunded tickets of sales.</summary>
    public decimal RefundedAmount { get; private init; }

    public required IReadOnlyDictionary<DateOnly, QticketsTotals> BySaleDate { get; init; }

    public required IReadOnlyDictionary<int, QticketsTotals> ByEvent { get; init; }

    /// <summary>Keyed by <c>event.city.name</c>, trimmed and lower-cased.</summary>
    public required IReadOnlyDictionary<string, QticketsTotals> ByCity { get; init; }

    /// <summary>Keyed by <c>utm_source</c>, trimmed and lower-cased; "" for untagged orders or a missing key.</summary>
    public required IReadOnlyDictionary<string, QticketsTotals> ByUtmSource { get; init; }

    /// <summary>Keyed by <c>utm_campaign</c>, trimmed and lower-cased; "" for untagged orders or a missing key.</summary>
    public required IReadOnlyDictionary<string, QticketsTotals> ByUtmCampaign { get; init; }

    /// <summary>Every event, deleted ones included (their sales still count).</summary>
    public required IReadOnlyDictionary<int, QticketsEventTruth> Events { get; init; }

    /// <summary>Every show without <c>deleted_at</c>.</summary>
    public required IReadOnlyDictionary<int, QticketsShowInventory> Inventory { get; init; }

    /// <summary>The data version this truth was computed from; mutations move it.</summary>
    internal long Version { get; }

    internal static QticketsGroundTruth Compute(TicketOffice office)
    {
        var total = new Bucket();
        var byDate = new SortedDictionary<DateOnly, Bucket>();
        var byEvent = new SortedDictionary<int, Bucket>();
        var byCity = new SortedDictionary<string, Bucket>(StringComparer.Ordinal);
        var bySource = new SortedDictionary<string, Bucket>(StringComparer.Ordinal);
        var byCampaign = new SortedDictionary<string, Bucket>(StringComparer.Ordinal);
        int paid = 0;
        int cancelled = 0;
        long refunded = 0;
        foreach (OrderRow order in office.Orders)
        {
            cancelled += order.DeletedAt != 0 ? 1 : 0;
            if (!order.IsSale)
            {
                continue;
            }
            paid++;
            int tickets = 0;
            long revenue = 0;
            foreach (BasketRow basket in office.BasketsOf(order))
            {
                if (basket.DeletedAt != 0)
                {
                    continue;
                }
                if (basket.RefundedAt != 0)
                {
                    refunded += basket.PriceKopecks;
                    continue;
                }
                tickets++;
                revenue += basket.PriceKopecks;
            }
            PromoterEvent promoterEvent = office.Events[order.EventIndex];
            UtmTag? utm = order.UtmIndex < 0 ? null : office.UtmTags[order.UtmIndex];
            foreach (Bucket bucket in (Span<Bucket>)
                [
                    total,
                    Of(byDate, SandboxTime.MoscowDate(order.PayedAt)),
                    Of(byEvent, promoterEvent.Id),
                    Of(byCity, CityKey(promoterEvent.City.Name)),
                    Of(bySource, UtmKey(utm?.Source)),
                    Of(byCampaign, UtmKey(utm?.Campaign)),
                ])
            {
                bucket.Add(tickets, revenue);
            }
        }
        return new QticketsGroundTruth(office.Version)
        {
            PaidOrders = paid,
            CancelledOrders = cancelled,
            Orders = total.Orders,
            TicketsSold = total.Tickets,
            Revenue = Roubles(total.RevenueKopecks),
            RefundedAmount = Roubles(refunded),
            BySaleDate = Totals(byDate),
            ByEvent = Totals(byEvent),
            ByCity = Totals(byCity),
            ByUtmSource = Totals(bySource),
            ByUtmCampaign = Totals(byCampaign),
            Events = office.Events.ToDictionary(e => e.Id, EventTruth),
            Inventory = office.Shows.Where(s => s.DeletedAt == 0).ToDictionary(s => s.Id, s => new QticketsShowInventory(
                s.Zones.Sum(z => z.LiveCapacity), s.Zones.Sum(z => z.LiveCapacity - z.HeldCount))),
        };
    }

    /// <summary>
    /// The JSON of <c>GET /__sandbox/truth</c>: the keys and formats of the fixtures' <c>expected_summary.json</c>
    /// (revenue as a "0.00" string, dates as Moscow dates), plus <c>by_city</c> and <c>by_utm_campaign</c>.
    /// </summary>
    public string ToJson() => JsonSerializer.Serialize(new
    {
        paid_orders = PaidOrders,
        cancelled_orders = CancelledOrders,
        orders = Orders,
        tickets_sold = TicketsSold,
        revenue = Money(Revenue),
        refunded_amount = Money(RefundedAmount),
        by_sale_date = Json(BySaleDate, d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        by_utm_source = Json(ByUtmSource, s => s),
        by_utm_campaign = Json(ByUtmCampaign, s => s),
        by_city = Json(ByCity, s => s),
        by_event = Json(ByEvent, Key),
        events = Events.ToDictionary(e => Key(e.Key), e => new
        {
            city = e.Value.City,
            start_date = e.Value.Start?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            end_date = e.Value.End?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            deleted = e.Value.Deleted,
        }),
        inventory = Inventory.ToDictionary(i => Key(i.Key), i => new { capacity = i.Value.Capacity, left = i.Value.Left, sold = i.Value.Sold }),
    }, JsonOptions);

    private static QticketsEventTruth EventTruth(PromoterEvent promoterEvent)
    {
        PromoterShow[] live = [.. promoterEvent.Shows.Where(s => s.DeletedAt == 0)];
        return new QticketsEventTruth(CityKey(promoterEvent.City.Name),
            live.Length == 0 ? null : SandboxTime.ToMoscow(live.Min(s => s.StartAt)),
            live.Length == 0 ? null : SandboxTime.ToMoscow(live.Max(s => s.FinishAt)),
            promoterEvent.DeletedAt != 0);
    }

    private static string CityKey(string name) => name.Trim().ToLowerInvariant();

    private static string UtmKey(string? value) => value?.Trim().ToLowerInvariant() ?? "";

    private static decimal Roubles(long kopecks) => kopecks / 100m;

    private static string Money(decimal roubles) => roubles.ToString("0.00", CultureInfo.InvariantCulture);

    private static Bucket Of<TKey>(SortedDictionary<TKey, Bucket> buckets, TKey key)
        where TKey : notnull
    {
        if (!buckets.TryGetValue(key, out Bucket? bucket))
        {
            buckets.Add(key, bucket = new Bucket());
        }
        return bucket;
    }

    private static SortedDictionary<TKey, QticketsTotals> Totals<TKey>(SortedDictionary<TKey, Bucket> buckets)
        where TKey : notnull => new(buckets.ToDictionary(p => p.Key,
            p => new QticketsTotals(p.Value.Orders, p.Value.Tickets, Roubles(p.Value.RevenueKopecks))), buckets.Comparer);

    private static Dictionary<string, object> Json<TKey>(IReadOnlyDictionary<TKey, QticketsTotals> totals, Func<TKey, string> key) =>
        totals.ToDictionary(p => key(p.Key), p => (object)new
        {
            orders = p.Value.Orders,
            tickets = p.Value.Tickets,
            revenue = Money(p.Value.Revenue),
        });

    private static string Key(int id) => id.ToString(CultureInfo.InvariantCulture);

    private sealed class Bucket
    {
        public int Orders { get; private set; }

        public int Tickets { get; private set; }

        public long RevenueKopecks { get; private set; }

        public void Add(int tickets, long revenueKopecks)
        {
            Orders += tickets > 0 ? 1 : 0;
            Tickets += tickets;
            RevenueKopecks += revenueKopecks;
        }
    }
}
