using Zakaz.Storage;

namespace Zakaz.Pipeline.Tests;

/// <summary>
/// Hand-written staging rows, inserted the way connectors insert them (typed rows, RowBinary), one
/// insert per call so every call is its own part: nothing is merged unless a test asks for it.
/// </summary>
internal sealed class Staging(IClickHouseStore store)
{
    private static readonly TimeSpan Moscow = TimeSpan.FromHours(3);

    private static readonly RowSchema<Order> OrderSchema = new RowSchema<Order>()
        .Column("order_id", "UInt64", o => o.OrderId)
        .Column("event_id", "UInt64", o => o.EventId)
        .Column("payed", "UInt8", o => o.Payed ? (byte)1 : (byte)0)
        .Column("payed_at", "Nullable(DateTime('Europe/Moscow'))", o => o.PaidAt)
        .Column("created_at", "DateTime('Europe/Moscow')", o => o.CreatedAt)
        .Column("updated_at", "DateTime('Europe/Moscow')", o => o.CreatedAt)
        .Column("deleted_at", "Nullable(DateTime('Europe/Moscow'))", o => o.DeletedAt)
        .Column("sale_ts", "Nullable(DateTime('Europe/Moscow'))", o => o.PaidAt)
        .Column("utm_source", "LowCardinality(String)", o => o.UtmSource)
        .Column("utm_medium", "LowCardinality(String)", o => o.UtmMedium)
        .Column("utm_campaign", "String", o => o.UtmCampaign)
        .Column("_ver", "UInt64", o => o.Ver)
        .Column("_loaded_at", "DateTime('UTC')", _ => DateTimeOffset.UtcNow);

    private static readonly RowSchema<Basket> BasketSchema = new RowSchema<Basket>()
        .Column("basket_id", "UInt64", b => b.BasketId)
        .Column("order_id", "UInt64", b => b.OrderId)
        .Column("event_id", "UInt64", b => b.EventId)
        .Column("quantity", "UInt16", b => b.Quantity)
        .Column("price", "Decimal(18, 2)", b => b.Price)
        .Column("original_price", "Decimal(18, 2)", b => b.Price)
        .Column("created_at", "DateTime('Europe/Moscow')", b => b.CreatedAt)
        .Column("deleted_at", "Nullable(DateTime('Europe/Moscow'))", b => b.DeletedAt)
        .Column("refunded_at", "Nullable(DateTime('Europe/Moscow'))", b => b.RefundedAt)
        .Column("refunded_amount", "Decimal(18, 2)", b => b.RefundedAmount)
        .Column("_ver", "UInt64", b => b.Ver)
        .Column("_loaded_at", "DateTime('UTC')", _ => DateTimeOffset.UtcNow);

    private static readonly RowSchema<Event> EventSchema = new RowSchema<Event>()
        .Column("event_id", "UInt64", e => e.EventId)
        .Column("event_name", "String", e => e.Name)
        .Column("city", "LowCardinality(String)", e => e.City)
        .Column("_ver", "UInt64", _ => 1UL)
        .Column("_loaded_at", "DateTime('UTC')", _ => DateTimeOffset.UtcNow);

    private static readonly RowSchema<AdStat> AdStatSchema = new RowSchema<AdStat>()
        .Column("stat_date", "Date", a => a.StatDate)
        .Column("banner_id", "UInt64", a => a.BannerId)
        .Column("impressions", "UInt64", a => a.Impressions)
        .Column("clicks", "UInt64", a => a.Clicks)
        .Column("spend", "Decimal(18, 2)", a => a.Spend)
        .Column("utm_source", "LowCardinality(String)", a => a.UtmSource)
        .Column("utm_campaign", "String", a => a.UtmCampaign)
        .Column("city", "LowCardinality(String)", a => a.City)
        .Column("event_id", "UInt64", a => a.EventId)
        .Column("_ver", "UInt64", a => a.Ver)
        .Column("_loaded_at", "DateTime('UTC')", _ => DateTimeOffset.UtcNow);

    private static readonly RowSchema<Plan> PlanSchema = new RowSchema<Plan>()
        .Column("sales_date", "Date", p => p.SalesDate)
        .Column("event_id", "UInt64", p => p.EventId)
        .Column("city", "LowCardinality(String)", p => p.City)
        .Column("plan_tickets", "UInt64", p => p.Tickets)
        .Column("plan_revenue", "Decimal(18, 2)", p => p.Revenue)
        .Column("_ver", "UInt64", _ => 1UL)
        .Column("_loaded_at", "DateTime('UTC')", _ => DateTimeOffset.UtcNow);

    /// <summary>A Moscow wall-clock time, as Qtickets reports them.</summary>
    public static DateTimeOffset Msk(int year, int month, int day, int hour = 12, int minute = 0) =>
        new(year, month, day, hour, minute, 0, Moscow);

    public Task Event(ulong eventId, string name, string city) =>
        store.InsertAsync("zakaz.dim_events", EventSchema, [new Event(eventId, name, city)]);

    public Task Order(Order order) => store.InsertAsync("zakaz.stg_qtickets_api_orders_raw", OrderSchema, [order]);

    public Task Baskets(params Basket[] baskets) => store.InsertAsync("zakaz.stg_qtickets_api_tickets_raw", BasketSchema, baskets);

    public Task AdStats(params AdStat[] stats) => store.InsertAsync("zakaz.stg_vk_ads_daily", AdStatSchema, stats);

    public Task Plans(params Plan[] plans) => store.InsertAsync("zakaz.plan_sales", PlanSchema, plans);

    /// <summary>A paid order with its baskets, each basket priced as given (quantity 1).</summary>
    public async Task Sale(ulong orderId, ulong eventId, DateTimeOffset paidAt, params decimal[] prices)
    {
        await Order(new Order(orderId, eventId, paidAt));
        await Baskets(prices.Select((price, i) => new Basket(orderId * 100 + (ulong)i, orderId, eventId, price, paidAt)).ToArray());
    }
}

internal sealed record Order(ulong OrderId, ulong EventId, DateTimeOffset? PaidAt)
{
    public bool Payed { get; init; } = true;

    public DateTimeOffset CreatedAt { get; init; } = PaidAt ?? Staging.Msk(2025, 1, 1);

    public DateTimeOffset? DeletedAt { get; init; }

    public string UtmSource { get; init; } = "";

    public string UtmMedium { get; init; } = "";

    public string UtmCampaign { get; init; } = "";

    public ulong Ver { get; init; } = 1;
}

internal sealed record Basket(ulong BasketId, ulong OrderId, ulong EventId, decimal Price, DateTimeOffset CreatedAt)
{
    public ushort Quantity { get; init; } = 1;

    public DateTimeOffset? DeletedAt { get; init; }

    public DateTimeOffset? RefundedAt { get; init; }

    public decimal RefundedAmount { get; init; }

    public ulong Ver { get; init; } = 1;
}

internal sealed record Event(ulong EventId, string Name, string City);

internal sealed record AdStat(DateOnly StatDate, ulong BannerId, string City, ulong EventId, decimal Spend, ulong Clicks, ulong Impressions)
{
    public string UtmSource { get; init; } = "";

    public string UtmCampaign { get; init; } = "";

    public ulong Ver { get; init; } = 1;
}

internal sealed record Plan(DateOnly SalesDate, ulong EventId, string City, ulong Tickets, decimal Revenue);
