using System.Security.Cryptography;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// Turns an order into its staging rows with the business rules of spec §9: a sale is paid and not cancelled; a sold
/// ticket is a basket of a sale that is neither deleted nor refunded; tickets count <c>quantity</c> (missing = 1);
/// revenue sums basket <c>price</c>, never the order total. The buyer is stored only as <c>buyer_key</c>, an
/// HMAC-SHA256 of the client id under the deployment secret, so unique buyers are counted without keeping who they are.
/// </summary>
public sealed class OrderMapper(ReadOnlySpan<byte> buyerKeySecret)
{
    private readonly byte[] _buyerKeySecret = buyerKeySecret.Length >= 16
        ? buyerKeySecret.ToArray()
        : throw new ArgumentException("The buyer key secret must be at least 16 bytes.", nameof(buyerKeySecret));

    public MappedOrder Map(QticketsOrder order, LoadStamp stamp)
    {
        var orderId = checked((ulong)order.Id);
        var eventId = checked((ulong)order.EventId);
        var tickets = new QticketsTicketRow[order.Baskets.Count];
        List<string>? warnings = null;
        uint ticketsSold = 0;
        decimal revenue = 0, refunded = 0;
        for (var i = 0; i < tickets.Length; i++)
        {
            var basket = order.Baskets[i];
            if (basket.Quantity is { } q && q != 1)
            {
                (warnings ??= []).Add($"order {order.Id} basket {basket.Id} has quantity {q}, not 1");
            }
            var quantity = checked((ushort)(basket.Quantity ?? 1));
            if (order.IsSale && basket.IsValid)
            {
                ticketsSold += quantity;
                revenue += basket.Price;
            }
            if (basket.RefundedAt is not null)
            {
                refunded += basket.RefundedAmount ?? 0;
            }
            tickets[i] = new QticketsTicketRow(checked((ulong)basket.Id), orderId, eventId, checked((ulong)basket.ShowId), basket.SeatId ?? "", basket.Zone,
                quantity, Roubles(basket.Price), OriginalPrice: Roubles(basket.OriginalPrice ?? basket.Price),
                DiscountValue: basket.DiscountValue is { } discount ? Roubles(discount) : null, basket.CreatedAt, basket.DeletedAt, basket.RefundedAt,
                RefundedAmount: Roubles(basket.RefundedAmount ?? 0), basket.CheckedAt, stamp.Version, stamp.LoadedAt);
        }

        var utm = order.Utm;
        var row = new QticketsOrderRow(orderId, eventId, order.Payed, order.PayedAt, order.CreatedAt, order.UpdatedAt, order.DeletedAt,
            SaleTs: order.PayedAt, ticketsSold, Roubles(revenue), RefundedAmount: Roubles(refunded), Currency: order.CurrencyId ?? "",
            UtmValue(utm?.Source), UtmValue(utm?.Medium), UtmValue(utm?.Campaign), UtmValue(utm?.Content), UtmValue(utm?.Term),
            PromoCodeId: order.PromoCodeId is { } promo ? checked((ulong)promo) : null,
            DiscountId: order.DiscountId is { } discountId ? checked((ulong)discountId) : null,
            BuyerKey: order.ClientId is { } client ? BuyerKey(client) : "", OrderPayload.Scrub(order.Json), stamp.Version, stamp.LoadedAt);
        return new MappedOrder(row, tickets, warnings ?? (IReadOnlyList<string>)[]);
    }

    /// <summary>The stored identity of a Qtickets client: lower-case hex HMAC-SHA256 of its decimal id.</summary>
    public string BuyerKey(long clientId) =>
        Convert.ToHexStringLower(HMACSHA256.HashData(_buyerKeySecret, Encoding.UTF8.GetBytes(clientId.ToString(CultureInfo.InvariantCulture))));

    /// <summary>UTM values are grouped case-insensitively (spec §9): trimmed and lower-cased; missing is empty.</summary>
    public static string UtmValue(string? value) => value?.Trim().ToLowerInvariant() ?? "";

    // The tables hold Decimal(18, 2) roubles; the API's amounts have at most kopecks.
    private static decimal Roubles(decimal amount) => decimal.Round(amount, 2, MidpointRounding.AwayFromZero);
}

/// <summary>An order's staging rows, and data-quality warnings for the run's log (a quantity other than 1).</summary>
public sealed record MappedOrder(QticketsOrderRow Order, IReadOnlyList<QticketsTicketRow> Tickets, IReadOnlyList<string> Warnings);
