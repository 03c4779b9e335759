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
public sealed record QticketsOrderRow
{
    public required ulong OrderId { get; init; }

    public required ulong EventId { get; init; }

    public required bool Payed { get; init; }

    public DateTimeOffset? PayedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public DateTimeOffset? SaleTs { get; init; }

    public required uint TicketsSold { get; init; }

    public required decimal Revenue { get; init; }

    public required decimal RefundedAmount { get; init; }

    public required string Currency { get; init; }

    public required string UtmSource { get; init; }

    public required string UtmMedium { get; init; }

    public required string UtmCampaign { get; init; }

    public required string UtmContent { get; init; }

    public required string UtmTerm { get; init; }

    public ulong? PromoCodeId { get; init; }

    public ulong? DiscountId { get; init; }

    public required string BuyerKey { get; init; }

    public required string PayloadJson { get; init; }

    public required ulong Version { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }
}

/// <summary>A row of <c>zakaz.stg_qtickets_api_tickets_raw</c>: one basket.</summary>
public sealed record QticketsTicketRow
{
    public required ulong BasketId { get; init; }

    public required ulong OrderId { get; init; }

    public required ulong EventId { get; init; }

    public required ulong ShowId { get; init; }

    public required string SeatId { get; init; }

    public required string Zone { get; init; }

    public required ushort Quantity { get; init; }

    public required decimal Price { get; init; }

    public required decimal OriginalPrice { get; init; }

    public decimal? DiscountValue { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public DateTimeOffset? RefundedAt { get; init; }

    public required decimal RefundedAmount { get; init; }

    public DateTimeOffset? CheckedAt { get; init; }

    public required ulong Version { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }
}

/// <summary>A row of <c>zakaz.dim_events</c>.</summary>
public sealed record QticketsEventRow
{
    public required ulong EventId { get; init; }

    public required string EventName { get; init; }

    public required string City { get; init; }

    public required ulong CityId { get; init; }

    public required string Venue { get; init; }

    public DateTimeOffset? StartDate { get; init; }

    public DateTimeOffset? EndDate { get; init; }

    public required bool IsActive { get; init; }

    public required bool Deleted { get; init; }

    public required ulong Version { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }
}

/// <summary>A row of <c>zakaz.dim_shows</c>.</summary>
public sealed record QticketsShowRow
{
    public required ulong ShowId { get; init; }

    public required ulong EventId { get; init; }

    public DateTimeOffset? StartTs { get; init; }

    public DateTimeOffset? FinishTs { get; init; }

    public DateTimeOffset? SaleStartTs { get; init; }

    public DateTimeOffset? SaleFinishTs { get; init; }

    public required bool Deleted { get; init; }

    public required ulong Version { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }
}

/// <summary>A row of <c>zakaz.stg_qtickets_api_inventory_raw</c>: one show's snapshot; null counts mean unknown.</summary>
public sealed record QticketsInventoryRow
{
    public required DateTimeOffset SnapshotTs { get; init; }

    public required ulong EventId { get; init; }

    public required ulong ShowId { get; init; }

    public required string City { get; init; }

    public uint? TicketsTotal { get; init; }

    public uint? TicketsLeft { get; init; }

    public required ulong Version { get; init; }

    public required DateTimeOffset LoadedAt { get; init; }
}
