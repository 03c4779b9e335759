using static Zakaz.Sources.Qtickets.QticketsJson;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// An order (spec §3.1) with the fields the rules use, read tolerantly. Personal and secret fields
/// are not modelled; they stay only in <see cref="Json"/>, the order exactly as received, which
/// <see cref="OrderMapper"/> scrubs before anything is stored.
/// </summary>
/// <param name="DeletedAt">Set when the order was cancelled.</param>
/// <param name="ClientId">The buyer's id: only ever stored as a keyed hash.</param>
/// <param name="Utm">Null when <c>utm</c> is not an object (the API sends <c>[]</c> for untagged orders).</param>
public sealed record QticketsOrder(
    long Id, long EventId, bool Payed, DateTimeOffset? PayedAt, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt,
    long? ClientId, long? DiscountId, long? PromoCodeId, string? CurrencyId, QticketsUtm? Utm, IReadOnlyList<QticketsBasket> Baskets, JsonElement Json)
{
    /// <summary>A sale (spec §9): paid and not cancelled.</summary>
    public bool IsSale => Payed && DeletedAt is null;

    public static QticketsOrder FromJson(JsonElement e) => Read(e, "order", o => new QticketsOrder(
        QticketsJson.Id(o, "id"), QticketsJson.Id(o, "event_id"), Bool(o, "payed"), OptionalTimestamp(o, "payed_at"),
        Timestamp(o, "created_at"), Timestamp(o, "updated_at"), OptionalTimestamp(o, "deleted_at"),
        OptionalId(o, "client_id") ?? (Property(o, "client") is { } client ? OptionalId(client, "id") : null),
        OptionalReference(o, "discount_id"), OptionalReference(o, "promo_code_id"), Text(o, "currency_id"),
        Property(o, "utm") is { ValueKind: JsonValueKind.Object } utm ? QticketsUtm.FromJson(utm) : null,
        Items(o, "baskets").Select(QticketsBasket.FromJson).ToArray(),
        o));
}

/// <summary>One ticket of an order (spec §3.2).</summary>
/// <param name="SeatId"><c>ZONE-row;place</c>; shared by all admission tickets of a zone, so never a key.</param>
/// <param name="Quantity">Null when the API leaves it out; the rules count that as 1.</param>
public sealed record QticketsBasket(
    long Id, long ShowId, string? SeatId, decimal Price, decimal? OriginalPrice, decimal? DiscountValue, int? Quantity,
    DateTimeOffset CreatedAt, DateTimeOffset? DeletedAt, DateTimeOffset? RefundedAt, decimal? RefundedAmount, DateTimeOffset? CheckedAt)
{
    /// <summary>Not deleted and not refunded: sold, if its order is a sale.</summary>
    public bool IsValid => DeletedAt is null && RefundedAt is null;

    /// <summary>The zone part of <see cref="SeatId"/> (<c>PARTERRE</c> of <c>PARTERRE-3;7</c>), or empty.</summary>
    public string Zone
    {
        get
        {
            if (string.IsNullOrEmpty(SeatId))
            {
                return "";
            }
            var place = SeatId.IndexOf(';');
            var dash = SeatId.LastIndexOf('-', place < 0 ? SeatId.Length - 1 : place);
            return dash > 0 ? SeatId[..dash] : "";
        }
    }

    internal static QticketsBasket FromJson(JsonElement e) => Read(e, "basket", b => new QticketsBasket(
        QticketsJson.Id(b, "id"), QticketsJson.Id(b, "show_id"), Text(b, "seat_id"),
        Money(b, "price"), OptionalMoney(b, "original_price"), OptionalMoney(b, "discount_value"),
        OptionalId(b, "quantity") switch
        {
            null => null,
            >= 0 and <= ushort.MaxValue and var quantity => (int)quantity,
            var quantity => throw new QticketsFormatException($"'quantity' is {quantity}, not a ticket count from 0 to {ushort.MaxValue}"),
        },
        Timestamp(b, "created_at"), OptionalTimestamp(b, "deleted_at"), OptionalTimestamp(b, "refunded_at"),
        OptionalMoney(b, "refunded_amount"), OptionalTimestamp(b, "checked_at")));
}

/// <summary>The order's UTM tags as sent (untrimmed); a missing key is null.</summary>
public sealed record QticketsUtm(string? Source, string? Medium, string? Campaign, string? Content, string? Term)
{
    internal static QticketsUtm FromJson(JsonElement e) => new(
        Tag(e, "utm_source"), Tag(e, "utm_medium"), Tag(e, "utm_campaign"), Tag(e, "utm_content"), Tag(e, "utm_term"));

    // Tags are copied from landing-page URLs by the vendor, so anything but text (a repeated
    // parameter turned into an array) is dropped rather than failing the order.
    private static string? Tag(JsonElement e, string name) => Property(e, name) switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        _ => null,
    };
}
