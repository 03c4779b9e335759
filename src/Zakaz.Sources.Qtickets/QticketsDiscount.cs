using static Zakaz.Sources.Qtickets.QticketsJson;

namespace Zakaz.Sources.Qtickets;

/// <summary>A discount (spec §3.7). It has no numeric value: the percentage is only part of <see cref="Name"/>.</summary>
public sealed record QticketsDiscount(
    long Id, string Name, bool IsActive, string? Type, DateTimeOffset? ActiveFrom, DateTimeOffset? ActiveTo, DateTimeOffset? DeletedAt)
{
    public static QticketsDiscount FromJson(JsonElement e) => Read(e, "discount", d => new QticketsDiscount(
        QticketsJson.Id(d, "id"), Text(d, "name") ?? "", Bool(d, "is_active"), Text(d, "type"),
        OptionalTimestamp(d, "active_from"), OptionalTimestamp(d, "active_to"), OptionalTimestamp(d, "deleted_at")));
}

/// <summary>A promo code (spec §3.8); <see cref="MaxUsesCount"/> 0 probably means unlimited.</summary>
public sealed record QticketsPromoCode(
    long Id, string Code, long? DiscountId, bool IsActive, long? MaxUsesCount, DateTimeOffset? ActiveFrom, DateTimeOffset? ActiveTo, DateTimeOffset? DeletedAt)
{
    public static QticketsPromoCode FromJson(JsonElement e) => Read(e, "promo code", p => new QticketsPromoCode(
        QticketsJson.Id(p, "id"), Text(p, "code") ?? "", OptionalId(p, "discount_id"), Bool(p, "is_active"), OptionalId(p, "max_uses_count"),
        OptionalTimestamp(p, "active_from"), OptionalTimestamp(p, "active_to"), OptionalTimestamp(p, "deleted_at")));
}
