using System.Text.Json.Nodes;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// What the sync reads from Qtickets: the live API (<see cref="QticketsClient"/>) or a folder of
/// recorded responses (<see cref="QticketsClient.ForFixtures"/>). Read-only by construction: no
/// method here can change anything at Qtickets.
/// </summary>
public interface IQticketsSource
{
    /// <summary>
    /// Every order matching the request, page by page in page order, each order once. Server-side
    /// filters and sort are unverified (spec §2.3): apply every condition again on what comes back.
    /// Stopping the enumeration early cancels the pages still in flight.
    /// </summary>
    IAsyncEnumerable<QticketsPage<QticketsOrder>> ListOrderPagesAsync(OrderListRequest request, CancellationToken cancellationToken = default);

    /// <summary>The orders of <see cref="ListOrderPagesAsync"/>, one at a time.</summary>
    IAsyncEnumerable<QticketsOrder> ListOrdersAsync(OrderListRequest request, CancellationToken cancellationToken = default);

    /// <summary>One page of orders, for walking backwards from the last page when the sort is ignored.</summary>
    Task<QticketsPage<QticketsOrder>> GetOrderPageAsync(OrderListRequest request, int page, CancellationToken cancellationToken = default);

    /// <summary>One order, or null when the API says it does not exist (the caller skips it).</summary>
    Task<QticketsOrder?> GetOrderAsync(long orderId, CancellationToken cancellationToken = default);

    /// <summary>Every event, deleted ones included (old orders refer to them), each once.</summary>
    IAsyncEnumerable<QticketsEvent> ListEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// A show's capacity and places left, or null when the answer carries no counts. Errors throw;
    /// seats are an optional resource (spec §5), so a caller may skip the show and carry on.
    /// </summary>
    Task<ShowInventory?> GetShowSeatsAsync(long showId, CancellationToken cancellationToken = default);

    /// <summary>Discounts, or the reason they were skipped when the route is missing or forbidden (optional resource).</summary>
    Task<OptionalResource<QticketsDiscount>> ListDiscountsAsync(CancellationToken cancellationToken = default);

    /// <summary>Promo codes, or the reason they were skipped when the route is missing or forbidden (optional resource).</summary>
    Task<OptionalResource<QticketsPromoCode>> ListPromoCodesAsync(CancellationToken cancellationToken = default);
}

/// <summary>The <c>where</c> and <c>orderBy</c> of an order list call (spec §2.1).</summary>
public sealed record OrderListRequest
{
    public IReadOnlyList<QticketsCondition> Where { get; init; } = [];

    public QticketsSort? OrderBy { get; init; }

    internal JsonObject ToBody(int page)
    {
        var body = new JsonObject();
        if (Where.Count > 0)
        {
            body["where"] = new JsonArray(Where.Select(c => (JsonNode)c.ToJson()).ToArray());
        }
        if (OrderBy is { } sort)
        {
            body["orderBy"] = new JsonObject { [sort.Column] = sort.Descending ? "desc" : "asc" };
        }
        body["page"] = page;
        return body;
    }
}

/// <summary>One <c>where</c> item; the operator defaults to <c>=</c>, <c>null</c> takes no value.</summary>
public sealed record QticketsCondition(string Column, string Operator, JsonNode? Value)
{
    public static QticketsCondition Equal(string column, JsonNode value) => new(column, "=", value);

    public static QticketsCondition IsNull(string column) => new(column, "null", null);

    internal JsonObject ToJson()
    {
        var item = new JsonObject { ["column"] = Column };
        if (Operator != "=")
        {
            item["operator"] = Operator;
        }
        if (Value is not null)
        {
            item["value"] = Value.DeepClone();
        }
        return item;
    }
}

public sealed record QticketsSort(string Column, bool Descending);

/// <summary>
/// One page of a list: its number, the page size and total the API reported with it, and the
/// items not already returned by an earlier page (<c>total</c> moves while paging).
/// </summary>
public sealed record QticketsPage<T>(int Number, int PerPage, long Total, IReadOnlyList<T> Items);

/// <summary>The items of an optional resource, or why it was skipped (a missing route, no permission).</summary>
public sealed record OptionalResource<T>(IReadOnlyList<T> Items, string? SkippedReason)
{
    public bool IsSkipped => SkippedReason is not null;
}
