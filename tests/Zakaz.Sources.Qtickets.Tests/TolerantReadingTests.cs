namespace Zakaz.Sources.Qtickets.Tests;

/// <summary>The shape quirks of spec §4, each read the one right way.</summary>
public sealed class TolerantReadingTests
{
    private static string OrderJson(string overrides = "", string basket = "") => $$"""
        {
          "id": 1, "event_id": 2, "payed": true, "payed_at": "2025-11-01T10:17:32+03:00",
          "created_at": "2025-11-01T10:15:03+03:00", "updated_at": "2025-11-01T18:40:11+03:00", "deleted_at": null,
          "client_id": 3, "currency_id": "RUB", "price": 2500, "utm": [], "custom": "", "fields": [], "integrations": []
          {{overrides}},
          "baskets": [{"id": 10, "show_id": 20, "seat_id": "PARTERRE-3;7", "price": 2500, "created_at": "2025-11-01T10:14:40+03:00" {{basket}}}]
        }
        """;

    [Fact]
    public async Task Every_fixture_order_reads()
    {
        var orders = await Fixtures.OrdersAsync();

        Assert.Equal([5000001L, 5000002, 5000003, 5000004, 5000005, 5000006, 5000007], orders.Select(o => o.Id));
        var first = orders[0];
        Assert.True(first.Payed);
        Assert.Equal(new DateTimeOffset(2025, 11, 1, 10, 17, 32, TimeSpan.FromHours(3)), first.PayedAt);
        Assert.Equal(TimeSpan.FromHours(3), first.PayedAt!.Value.Offset);
        Assert.Null(first.Utm);
        Assert.Equal("RUB", first.CurrencyId);
        Assert.Equal(700001, first.ClientId);
        Assert.Equal(new QticketsUtm("yandex", "cpc", "700100200", "15500012345", "концерт новосибирск"), orders[1].Utm);
        var cancelled = orders[3];
        Assert.False(cancelled.Payed);
        Assert.Null(cancelled.PayedAt);
        Assert.False(cancelled.IsSale);
        Assert.All(cancelled.Baskets, b => Assert.NotNull(b.DeletedAt));
        var refunded = Assert.Single(orders[4].Baskets, b => b.RefundedAt is not null);
        Assert.Equal(1500m, refunded.RefundedAmount);
        Assert.Equal("tancpol", Assert.Single(orders[6].Baskets).Zone);
    }

    [Fact]
    public async Task The_compact_single_order_reads_from_its_data_envelope()
    {
        using var source = QticketsClient.ForFixtures(Fixtures.Directory);

        var order = await source.GetOrderAsync(5000002);

        Assert.NotNull(order);
        Assert.Equal(4, order.Baskets.Count);
        Assert.Equal("концерт новосибирск", order.Utm!.Term);
    }

    [Theory]
    [InlineData("""{"utm_source": " VK ", "utm_medium": "target"}""", " VK ")]
    [InlineData("""{"utm_source": ["a", "b"]}""", null)]
    public void Utm_is_read_only_when_it_is_an_object(string utm, string? source)
    {
        var order = Fixtures.Order(OrderJson($""", "utm": {utm}""".Replace("\"utm\": [],", "")));

        Assert.NotNull(order.Utm);
        Assert.Equal(source, order.Utm.Source);
        Assert.Null(order.Utm.Term);
    }

    [Theory]
    [InlineData("\"custom\": {\"passport\": \"1234\"}, \"fields\": {\"phone\": \"+7 999\"}, \"integrations\": {\"roistat\": {\"roistat_visit\": null}}")]
    [InlineData("\"custom\": \"\", \"fields\": [], \"integrations\": []")]
    public void Custom_fields_and_integrations_may_be_objects_arrays_or_strings(string values)
    {
        var order = Fixtures.Order(OrderJson().Replace("\"custom\": \"\", \"fields\": [], \"integrations\": []", values));

        Assert.Equal(1, order.Id);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("\"1\"", true)]
    public void Booleans_are_true_false_or_zero_one(string json, bool expected)
    {
        var order = Fixtures.Order(OrderJson().Replace("\"payed\": true", $"\"payed\": {json}"));

        Assert.Equal(expected, order.Payed);
    }

    [Theory]
    [InlineData("390", "390")]
    [InlineData("390.1", "390.10")]
    [InlineData("\"390.10\"", "390.10")]
    [InlineData("0.1", "0.1")]
    [InlineData("12345678.99", "12345678.99")]
    public void Money_becomes_decimal_from_its_text_without_floating_point(string json, string expected)
    {
        var order = Fixtures.Order(OrderJson(basket: $", \"discount_value\": {json}"));

        Assert.Equal(decimal.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), order.Baskets[0].DiscountValue);
    }

    [Fact]
    public void A_missing_quantity_stays_null_and_counts_as_one_when_mapped()
    {
        var order = Fixtures.Order(OrderJson());
        var mapped = new OrderMapper(Fixtures.BuyerKeySecret).Map(order, Fixtures.Stamp);

        Assert.Null(order.Baskets[0].Quantity);
        Assert.Equal(1, mapped.Tickets[0].Quantity);
        Assert.Equal(1u, mapped.Order.TicketsSold);
    }

    [Theory]
    [InlineData("2025-11-01T10:17:32Z", 10)]
    [InlineData("2025-11-01T10:17:32.123+03:00", 7)]
    [InlineData("2025-11-01 10:17:32+03:00", 7)]
    public void Timestamps_with_an_offset_are_read_as_instants(string text, int utcHour)
    {
        var order = Fixtures.Order(OrderJson().Replace("2025-11-01T10:17:32+03:00", text));

        Assert.Equal(utcHour, order.PayedAt!.Value.UtcDateTime.Hour);
    }

    [Fact]
    public void A_timestamp_without_an_offset_is_refused_naming_the_order_and_field()
    {
        var error = Assert.Throws<QticketsFormatException>(() => Fixtures.Order(OrderJson().Replace("2025-11-01T10:17:32+03:00", "2025-11-01T10:17:32")));

        Assert.Equal("order 1: 'payed_at' is '2025-11-01T10:17:32', a timestamp without a UTC offset; refusing to guess its time zone", error.Message);
    }

    [Fact]
    public void A_bad_basket_value_names_the_order_and_the_basket()
    {
        var error = Assert.Throws<QticketsFormatException>(() => Fixtures.Order(OrderJson().Replace("\"price\": 2500, \"created", "\"price\": \"free\", \"created")));

        Assert.Equal("order 1: basket 10: 'price' is not an amount (a JSON string)", error.Message);
    }

    [Fact]
    public async Task Events_read_their_city_object_shows_and_string_colour_themes()
    {
        var events = await Fixtures.EventsAsync();

        Assert.Equal([900001L, 900002], events.Select(e => e.Id));
        var first = events[0];
        Assert.Equal(new QticketsCity(9001, "Новосибирск", "Asia/Novosibirsk"), first.City);
        Assert.True(first.IsActive);
        Assert.Equal("RUB", first.CurrencyId);
        Assert.Equal([910001L, 910002, 910003], first.Shows.Select(s => s.Id));
        Assert.NotNull(first.Shows[1].DeletedAt);
        Assert.Equal(new QticketsPrice(7100001, 2500m, "1"), first.Shows[0].Prices[0]);
        Assert.False(events[1].IsActive);
        Assert.NotNull(events[1].DeletedAt);
    }

    [Fact]
    public void A_numeric_colour_theme_reads_as_text()
    {
        var show = JsonDocument.Parse("""{"id": 1, "is_active": 1, "prices": [{"id": 2, "default_price": "1500.50", "color_theme": 14}]}""").RootElement;
        var e = QticketsEvent.FromJson(JsonDocument.Parse($$"""{"id": 5, "name": "x", "city": "Томск", "city_id": 7, "shows": [{{show.GetRawText()}}]}""").RootElement);

        Assert.Equal(new QticketsPrice(2, 1500.50m, "14"), e.Shows[0].Prices[0]);
        Assert.Equal(new QticketsCity(7, "Томск", null), e.City);
    }

    [Theory]
    [InlineData("seats_flat_910001.json", 204L, 146L)]
    [InlineData("seats_zones_910001.json", 204L, 146L)]
    public void Inventory_sums_the_counts_of_seats_that_are_not_disabled_in_both_shapes(string file, long capacity, long left)
    {
        var inventory = ShowInventory.FromSeats(Fixtures.Json(file).GetProperty("data"));

        Assert.Equal(new ShowInventory(capacity, left), inventory);
        Assert.Equal(58, inventory!.Value.Sold);
    }

    [Fact]
    public void Seats_without_counts_are_unknown_inventory_not_zero()
    {
        Assert.Null(ShowInventory.FromSeats(Fixtures.Json("seats_zones_default_910001.json").GetProperty("data")));
    }
}
