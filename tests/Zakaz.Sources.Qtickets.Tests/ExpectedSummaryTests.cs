using System.Text.Json.Nodes;

namespace Zakaz.Sources.Qtickets.Tests;

/// <summary>
/// The shared fixtures, read offline through the client and mapped to staging rows, give exactly
/// the figures of <c>expected_summary.json</c> when the rows are summed as the facts will sum them.
/// </summary>
public sealed class ExpectedSummaryTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public async Task The_mapped_fixtures_give_the_expected_summary()
    {
        var mapper = new OrderMapper(Fixtures.BuyerKeySecret);
        var mapped = (await Fixtures.OrdersAsync()).Select(o => mapper.Map(o, Fixtures.Stamp)).ToList();
        var events = await Fixtures.EventsAsync();
        using var source = QticketsClient.ForFixtures(Fixtures.Directory);
        var inventory = await source.GetShowSeatsAsync(910001);

        var summary = Summarize(mapped, events, new Dictionary<long, ShowInventory?> { [910001] = inventory });

        var expected = JsonNode.Parse(Fixtures.Text("expected_summary.json"));
        Assert.True(JsonNode.DeepEquals(expected, summary), $"expected {expected!.ToJsonString()}\nactual   {summary.ToJsonString()}");
    }

    [Fact]
    public async Task Order_rows_carry_the_same_totals_as_their_ticket_rows()
    {
        var mapper = new OrderMapper(Fixtures.BuyerKeySecret);
        foreach (var (order, tickets, _) in (await Fixtures.OrdersAsync()).Select(o => mapper.Map(o, Fixtures.Stamp)))
        {
            var sold = order.Payed && order.DeletedAt is null ? tickets.Where(t => t.DeletedAt is null && t.RefundedAt is null).ToList() : [];
            Assert.Equal(sold.Sum(t => t.Quantity), (int)order.TicketsSold);
            Assert.Equal(sold.Sum(t => t.Price), order.Revenue);
        }
    }

    /// <summary>
    /// The metric definitions of data-model §4 over staging rows: a sale is paid and not cancelled, a sold
    /// ticket is a sale's basket neither deleted nor refunded, an order counts when it has a sold ticket.
    /// </summary>
    private static JsonObject Summarize(List<MappedOrder> mapped, List<QticketsEvent> events, Dictionary<long, ShowInventory?> inventory)
    {
        var sales = mapped.Where(m => m.Order.Payed && m.Order.DeletedAt is null)
            .Select(m => (m.Order, Sold: m.Tickets.Where(t => t.DeletedAt is null && t.RefundedAt is null).ToList()))
            .Where(s => s.Sold.Count > 0)
            .ToList();

        JsonObject Figures(IEnumerable<(QticketsOrderRow Order, List<QticketsTicketRow> Sold)> group)
        {
            var list = group.ToList();
            return new JsonObject
            {
                ["orders"] = list.Count,
                ["tickets"] = list.Sum(s => s.Sold.Sum(t => t.Quantity)),
                ["revenue"] = Money(list.Sum(s => s.Sold.Sum(t => t.Price))),
            };
        }

        JsonObject By(Func<QticketsOrderRow, string> key) => new(sales
            .GroupBy(s => key(s.Order))
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, (JsonNode?)Figures(g))));

        var eventMapper = new EventMapper();
        return new JsonObject
        {
            ["paid_orders"] = mapped.Count(m => m.Order.Payed && m.Order.DeletedAt is null),
            ["cancelled_orders"] = mapped.Count(m => m.Order.DeletedAt is not null),
            ["orders"] = sales.Count,
            ["tickets_sold"] = sales.Sum(s => s.Sold.Sum(t => t.Quantity)),
            ["revenue"] = Money(sales.Sum(s => s.Sold.Sum(t => t.Price))),
            ["refunded_amount"] = Money(mapped.Sum(m => m.Order.RefundedAmount)),
            ["by_sale_date"] = By(o => Date(o.SaleTs)!),
            ["by_utm_source"] = By(o => o.UtmSource),
            ["by_event"] = By(o => o.EventId.ToString(CultureInfo.InvariantCulture)),
            ["events"] = new JsonObject(events.Select(e => eventMapper.MapEvent(e, Fixtures.Stamp)).Select(row => KeyValuePair.Create(
                row.EventId.ToString(CultureInfo.InvariantCulture),
                (JsonNode?)new JsonObject
                {
                    ["city"] = row.City,
                    ["start_date"] = Date(row.StartDate),
                    ["end_date"] = Date(row.EndDate),
                    ["deleted"] = row.Deleted,
                }))),
            ["inventory"] = new JsonObject(inventory.Select(i => KeyValuePair.Create(
                i.Key.ToString(CultureInfo.InvariantCulture),
                (JsonNode?)new JsonObject { ["capacity"] = i.Value!.Value.Capacity, ["left"] = i.Value.Value.Left, ["sold"] = i.Value.Value.Sold }))),
        };
    }

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);

    private static string? Date(DateTimeOffset? instant) =>
        instant is { } value ? TimeZoneInfo.ConvertTime(value, Moscow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : null;
}
