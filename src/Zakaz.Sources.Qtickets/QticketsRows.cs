namespace Zakaz.Sources.Qtickets;

/// <summary>
/// The version and load time every row of one load carries: <c>_ver</c> must grow with each
/// re-ingestion so ReplacingMergeTree keeps the newest state; milliseconds of the load time do.
/// </summary>
public readonly record struct LoadStamp(ulong Version, DateTimeOffset LoadedAt)
{
    public static LoadStamp At(DateTimeOffset loadedAt) => new((ulong)loadedAt.ToUnixTimeMilliseconds(), loadedAt);
}

/// <summary>A row of <c>zakaz.stg_qtickets_api_orders_raw</c>.</summary>
public sealed record QticketsOrderRow(
    ulong OrderId, ulong EventId, bool Payed, DateTimeOffset? PayedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt,
    DateTimeOffset? DeletedAt, DateTimeOffset? SaleTs, uint TicketsSold, decimal Revenue, decimal RefundedAmount, string Currency,
    string UtmSource, string UtmMedium, string UtmCampaign, string UtmContent, string UtmTerm, ulong? PromoCodeId, ulong? DiscountId,
    string BuyerKey, string PayloadJson, ulong Version, DateTimeOffset LoadedAt);

/// <summary>A row of <c>zakaz.stg_qtickets_api_tickets_raw</c>: one basket.</summary>
public sealed record QticketsTicketRow(
    ulong BasketId, ulong OrderId, ulong EventId, ulong ShowId, string SeatId, string Zone, ushort Quantity, decimal Price,
    decimal OriginalPrice, decimal? DiscountValue, DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt, DateTimeOffset? RefundedAt,
    decimal RefundedAmount, DateTimeOffset? CheckedAt, ulong Version, DateTimeOffset LoadedAt);

/// <summary>A row of <c>zakaz.dim_events</c>.</summary>
public sealed record QticketsEventRow(
    ulong EventId, string EventName, string City, ulong CityId, string Venue, DateTimeOffset? StartDate, DateTimeOffset? EndDate,
    bool IsActive, bool Deleted, ulong Version, DateTimeOffset LoadedAt);

/// <summary>A row of <c>zakaz.dim_shows</c>.</summary>
public sealed record QticketsShowRow(
    ulong ShowId, ulong EventId, DateTimeOffset? StartTs, DateTimeOffset? FinishTs, DateTimeOffset? SaleStartTs, DateTimeOffset? SaleFinishTs,
    bool Deleted, ulong Version, DateTimeOffset LoadedAt);

/// <summary>A row of <c>zakaz.stg_qtickets_api_inventory_raw</c>: one show's snapshot; null counts mean unknown.</summary>
public sealed record QticketsInventoryRow(
    DateTimeOffset SnapshotTs, ulong EventId, ulong ShowId, string City, uint? TicketsTotal, uint? TicketsLeft, ulong Version, DateTimeOffset LoadedAt);
