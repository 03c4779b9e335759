using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// The Qtickets tables of migration 0003 and how each record the source's mappers make fills them, column
/// for column, for <see cref="IClickHouseStore.InsertAsync{T}"/>: the warehouse's schema, which the source does not know.
/// </summary>
public static class QticketsTables
{
    public const string Orders = "zakaz.stg_qtickets_api_orders_raw";
    public const string Tickets = "zakaz.stg_qtickets_api_tickets_raw";
    public const string Events = "zakaz.dim_events";
    public const string Shows = "zakaz.dim_shows";
    public const string Inventory = "zakaz.stg_qtickets_api_inventory_raw";

    private const string Moscow = "DateTime('Europe/Moscow')";
    private const string NullableMoscow = "Nullable(DateTime('Europe/Moscow'))";
    private const string Money = "Decimal(18, 2)";

    public static RowSchema<QticketsOrderRow> OrderSchema { get; } = new RowSchema<QticketsOrderRow>()
        .Column("order_id", "UInt64", r => r.OrderId)
        .Column("event_id", "UInt64", r => r.EventId)
        .Column("payed", "UInt8", r => r.Payed)
        .Column("payed_at", NullableMoscow, r => r.PayedAt)
        .Column("created_at", Moscow, r => r.CreatedAt)
        .Column("updated_at", Moscow, r => r.UpdatedAt)
        .Column("deleted_at", NullableMoscow, r => r.DeletedAt)
        .Column("sale_ts", NullableMoscow, r => r.SaleTs)
        .Column("tickets_sold", "UInt32", r => r.TicketsSold)
        .Column("revenue", Money, r => r.Revenue)
        .Column("refunded_amount", Money, r => r.RefundedAmount)
        .Column("currency", "LowCardinality(String)", r => r.Currency)
        .Column("utm_source", "LowCardinality(String)", r => r.UtmSource)
        .Column("utm_medium", "LowCardinality(String)", r => r.UtmMedium)
        .Column("utm_campaign", "String", r => r.UtmCampaign)
        .Column("utm_content", "String", r => r.UtmContent)
        .Column("utm_term", "String", r => r.UtmTerm)
        .Column("promo_code_id", "Nullable(UInt64)", r => r.PromoCodeId)
        .Column("discount_id", "Nullable(UInt64)", r => r.DiscountId)
        .Column("buyer_key", "String", r => r.BuyerKey)
        .Column("payload_json", "String", r => r.PayloadJson)
        .Versioned(r => r.Version, r => r.LoadedAt);

    public static RowSchema<QticketsTicketRow> TicketSchema { get; } = new RowSchema<QticketsTicketRow>()
        .Column("basket_id", "UInt64", r => r.BasketId)
        .Column("order_id", "UInt64", r => r.OrderId)
        .Column("event_id", "UInt64", r => r.EventId)
        .Column("show_id", "UInt64", r => r.ShowId)
        .Column("seat_id", "String", r => r.SeatId)
        .Column("zone", "String", r => r.Zone)
        .Column("quantity", "UInt16", r => r.Quantity)
        .Column("price", Money, r => r.Price)
        .Column("original_price", Money, r => r.OriginalPrice)
        .Column("discount_value", "Nullable(Decimal(18, 2))", r => r.DiscountValue)
        .Column("created_at", Moscow, r => r.CreatedAt)
        .Column("deleted_at", NullableMoscow, r => r.DeletedAt)
        .Column("refunded_at", NullableMoscow, r => r.RefundedAt)
        .Column("refunded_amount", Money, r => r.RefundedAmount)
        .Column("checked_at", NullableMoscow, r => r.CheckedAt)
        .Versioned(r => r.Version, r => r.LoadedAt);

    public static RowSchema<QticketsEventRow> EventSchema { get; } = new RowSchema<QticketsEventRow>()
        .Column("event_id", "UInt64", r => r.EventId)
        .Column("event_name", "String", r => r.EventName)
        .Column("city", "LowCardinality(String)", r => r.City)
        .Column("city_id", "UInt64", r => r.CityId)
        .Column("venue", "String", r => r.Venue)
        .Column("start_date", NullableMoscow, r => r.StartDate)
        .Column("end_date", NullableMoscow, r => r.EndDate)
        .Column("is_active", "UInt8", r => r.IsActive)
        .Column("deleted", "UInt8", r => r.Deleted)
        .Versioned(r => r.Version, r => r.LoadedAt);

    public static RowSchema<QticketsShowRow> ShowSchema { get; } = new RowSchema<QticketsShowRow>()
        .Column("show_id", "UInt64", r => r.ShowId)
        .Column("event_id", "UInt64", r => r.EventId)
        .Column("start_ts", NullableMoscow, r => r.StartTs)
        .Column("finish_ts", NullableMoscow, r => r.FinishTs)
        .Column("sale_start_ts", NullableMoscow, r => r.SaleStartTs)
        .Column("sale_finish_ts", NullableMoscow, r => r.SaleFinishTs)
        .Column("deleted", "UInt8", r => r.Deleted)
        .Versioned(r => r.Version, r => r.LoadedAt);

    public static RowSchema<QticketsInventoryRow> InventorySchema { get; } = new RowSchema<QticketsInventoryRow>()
        .Column("snapshot_ts", Moscow, r => r.SnapshotTs)
        .Column("event_id", "UInt64", r => r.EventId)
        .Column("show_id", "UInt64", r => r.ShowId)
        .Column("city", "LowCardinality(String)", r => r.City)
        .Column("tickets_total", "Nullable(UInt32)", r => r.TicketsTotal)
        .Column("tickets_left", "Nullable(UInt32)", r => r.TicketsLeft)
        .Versioned(r => r.Version, r => r.LoadedAt);

    /// <summary>The <c>_ver</c> and <c>_loaded_at</c> columns every versioned staging table ends with.</summary>
    internal static RowSchema<T> Versioned<T>(this RowSchema<T> schema, Func<T, ulong> version, Func<T, DateTimeOffset> loadedAt) =>
        schema.Column("_ver", "UInt64", version).Column("_loaded_at", "DateTime('UTC')", loadedAt);
}
