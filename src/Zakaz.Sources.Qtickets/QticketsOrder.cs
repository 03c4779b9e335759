using System.Text.Json;
using static Zakaz.Sources.Qtickets.QticketsJson;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// An order (spec §3.1) with the fields the rules use, read tolerantly. Personal and secret fields
/// are not modelled; they stay only in <see cref="Json"/>, which <see cref="OrderMapper"/> scrubs
/// before anything is stored.
/// </summary>
public sealed class QticketsOrder
{
    public required long Id { get; init; }

    public required long EventId { get; init; }

    public required bool Payed { get; init; }

    public DateTimeOffset? PayedAt { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Set when the order was cancelled.</summary>
    public DateTimeOffset? DeletedAt { get; init; }

    /// <summary>The buyer's id: only ever stored as a keyed hash.</summary>
    public long? ClientId { get; init; }

    public long? DiscountId { get; init; }

    public long? PromoCodeId { get; init; }

    public string? CurrencyId { get; init; }

    /// <summary>Null when <c>utm</c> is not an object (the API sends <c>[]</c> for untagged orders).</summary>
    public QticketsUtm? Utm { get; init; }

    public required IReadOnlyList<QticketsBasket> Baskets { get; init; }

    /// <summary>The order exactly as received, personal data included.</summary>
    public required JsonElement Json { get; init; }

    /// <summary>A sale (spec §9): paid and not cancelled.</summary>
    public bool IsSale => Payed && DeletedAt is null;

    public static QticketsOrder FromJson(JsonElement e) => Read(e, "order", o => new QticketsOrder
    {
        Id = Id(o, "id"),
        EventId = Id(o, "event_id"),
        Payed = Bool(o, "payed"),
        PayedAt = OptionalTimestamp(o, "payed_at"),
        CreatedAt = Timestamp(o, "created_at"),
        UpdatedAt = Timestamp(o, "updated_at"),
        DeletedAt = OptionalTimestamp(o, "deleted_at"),
        ClientId = OptionalId(o, "client_id") ?? (Property(o, "client") is { } client ? OptionalId(client, "id") : null),
        DiscountId = OptionalReference(o, "discount_id"),
        PromoCodeId = OptionalReference(o, "promo_code_id"),
        CurrencyId = Text(o, "currency_id"),
        Utm = Property(o, "utm") is { ValueKind: JsonValueKind.Object } utm ? QticketsUtm.FromJson(utm) : null,
        Baskets = Items(o, "baskets").Select(QticketsBasket.FromJson).ToArray(),
        Json = o,
    });
}

/// <summary>One ticket of an order (spec §3.2).</summary>
public sealed class QticketsBasket
{
    public required long Id { get; init; }

    public required long ShowId { get; init; }

    /// <summary><c>ZONE-row;place</c>; shared by all admission tickets of a zone, so never a key.</summary>
    public string? SeatId { get; init; }

    public required decimal Price { get; init; }

    public decimal? OriginalPrice { get; init; }

    public decimal? DiscountValue { get; init; }

    /// <summary>Null when the API leaves it out; the rules count that as 1.</summary>
    public int? Quantity { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? DeletedAt { get; init; }

    public DateTimeOffset? RefundedAt { get; init; }

    public decimal? RefundedAmount { get; init; }

    public DateTimeOffset? CheckedAt { get; init; }

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

    internal static QticketsBasket FromJson(JsonElement e) => Read(e, "basket", b => new QticketsBasket
    {
        Id = Id(b, "id"),
        ShowId = Id(b, "show_id"),
        SeatId = Text(b, "seat_id"),
        Price = Money(b, "price"),
        OriginalPrice = OptionalMoney(b, "original_price"),
        DiscountValue = OptionalMoney(b, "discount_value"),
        Quantity = OptionalId(b, "quantity") switch
        {
            null => null,
            >= 0 and <= ushort.MaxValue and var quantity => (int)quantity,
            var quantity => throw new QticketsFormatException($"'quantity' is {quantity}, not a ticket count from 0 to {ushort.MaxValue}"),
        },
        CreatedAt = Timestamp(b, "created_at"),
        DeletedAt = OptionalTimestamp(b, "deleted_at"),
        RefundedAt = OptionalTimestamp(b, "refunded_at"),
        RefundedAmount = OptionalMoney(b, "refunded_amount"),
        CheckedAt = OptionalTimestamp(b, "checked_at"),
    });
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
