using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Zakaz.Sources.Qtickets.Tests;

public sealed partial class OrderMapperTests
{
    private static readonly OrderMapper Mapper = new(Fixtures.BuyerKeySecret);

    [Fact]
    public async Task Rows_follow_the_sale_rules()
    {
        var rows = (await Fixtures.OrdersAsync()).ToDictionary(o => o.Id, o => Mapper.Map(o, Fixtures.Stamp));

        var multi = rows[5000002];
        Assert.Equal(4u, multi.Order.TicketsSold);
        Assert.Equal(8000.00m, multi.Order.Revenue);
        Assert.Equal(new DateTimeOffset(2025, 11, 2, 23, 58, 41, TimeSpan.FromHours(3)), multi.Order.SaleTs);
        Assert.Equal(("yandex", "cpc", "700100200", "15500012345", "концерт новосибирск"),
            (multi.Order.UtmSource, multi.Order.UtmMedium, multi.Order.UtmCampaign, multi.Order.UtmContent, multi.Order.UtmTerm));
        Assert.Equal(["PARTERRE", "PARTERRE", "tancpol", "tancpol"], multi.Tickets.Select(t => t.Zone));

        var cancelled = rows[5000004];
        Assert.Equal((0u, 0m, false), (cancelled.Order.TicketsSold, cancelled.Order.Revenue, cancelled.Order.Payed));
        Assert.NotNull(cancelled.Order.DeletedAt);
        Assert.Equal(2, cancelled.Tickets.Count);

        var refund = rows[5000005];
        Assert.Equal((1u, 1500m, 1500m), (refund.Order.TicketsSold, refund.Order.Revenue, refund.Order.RefundedAmount));

        var discounted = rows[5000003];
        Assert.Equal((7001ul, 81001ul), (discounted.Order.DiscountId, discounted.Order.PromoCodeId));
        Assert.All(discounted.Tickets, t => Assert.Equal((1200m, 1500m, 300m), (t.Price, t.OriginalPrice, t.DiscountValue)));

        var untagged = rows[5000001];
        Assert.Equal(["", "", "", "", ""], new[] { untagged.Order.UtmSource, untagged.Order.UtmMedium, untagged.Order.UtmCampaign, untagged.Order.UtmContent, untagged.Order.UtmTerm });
        Assert.All(rows.Values, m => Assert.Equal((Fixtures.Stamp.Version, "RUB"), (m.Order.Version, m.Order.Currency)));
        Assert.All(rows.Values, m => Assert.Empty(m.Warnings));
    }

    [Fact]
    public void Utm_values_are_trimmed_and_lower_cased()
    {
        var order = Fixtures.Order(SingleOrder("\"utm\": {\"utm_source\": \"  VK \", \"utm_campaign\": \"Winter_Sale\"}"));

        var row = Mapper.Map(order, Fixtures.Stamp).Order;

        Assert.Equal(("vk", "", "winter_sale"), (row.UtmSource, row.UtmMedium, row.UtmCampaign));
    }

    [Fact]
    public void A_quantity_other_than_one_is_counted_and_warned_about()
    {
        var order = Fixtures.Order(SingleOrder("\"utm\": []", basket: ", \"quantity\": 3"));

        var mapped = Mapper.Map(order, Fixtures.Stamp);

        Assert.Equal(3u, mapped.Order.TicketsSold);
        Assert.Equal("order 1 basket 10 has quantity 3, not 1", Assert.Single(mapped.Warnings));
    }

    [Fact]
    public void The_buyer_key_is_the_HMAC_of_the_client_id_under_the_deployment_secret()
    {
        var order = Fixtures.Order(SingleOrder("\"utm\": []"));

        var key = Mapper.Map(order, Fixtures.Stamp).Order.BuyerKey;

        // printf 700001 | openssl dgst -sha256 -hmac 'a deployment secret for tests only'
        Assert.Equal("0d1b80acc4b17a211af17e71645371c2bda043b2f2911c3feb5cb0a3f9baf296", key);
        Assert.NotEqual(key, new OrderMapper("another deployment's secret"u8).BuyerKey(700001));
        Assert.Throws<ArgumentException>(() => new OrderMapper("short"u8));
    }

    [Fact]
    public async Task No_personal_data_or_secret_survives_in_the_payload()
    {
        var orders = await Fixtures.OrdersAsync();
        orders.Add(Fixtures.Order(Fixtures.Json("order_single.json").GetProperty("data").GetRawText()));
        orders.Add(Fixtures.Order(WebhookOrder));

        foreach (var order in orders)
        {
            var payload = Mapper.Map(order, Fixtures.Stamp).Order.PayloadJson;
            var stored = JsonNode.Parse(payload)!;

            Assert.Equal(order.Id, stored["id"]!.GetValue<long>());
            Assert.Equal(order.Baskets.Count, stored["baskets"]!.AsArray().Count);
            // No identifier of a person at any depth: a client or user id would undo buyer_key's keyed hash.
            Assert.Empty(Names(stored).Intersect(PersonIds));
            foreach (var (name, value) in Leaves(stored))
            {
                Assert.DoesNotContain(name, OrderPayload.DeniedFields);
                Assert.DoesNotMatch(EmailLike(), value);
                Assert.DoesNotMatch(PhoneLike(), value);
            }
            foreach (var secret in PersonalValues(order.Json))
            {
                Assert.DoesNotContain(secret, payload);
            }
        }
    }

    [Fact]
    public void The_payload_keeps_what_is_not_personal()
    {
        var order = Fixtures.Order(Fixtures.Json("order_single.json").GetProperty("data").GetRawText());

        var stored = JsonNode.Parse(Mapper.Map(order, Fixtures.Stamp).Order.PayloadJson)!;

        Assert.Equal("yandex", stored["utm"]!["utm_source"]!.GetValue<string>());
        Assert.Equal(9501, stored["payment_id"]!.GetValue<long>());
        Assert.Equal("PARTERRE-5;10", stored["baskets"]![0]!["seat_id"]!.GetValue<string>());
        Assert.Equal("билеты.испытание", stored["site"]!["host"]!.GetValue<string>());
    }

    /// <summary>A webhook-style order: nested exchange orders, Telegram user, filled custom fields, a refund record of unknown shape.</summary>
    private const string WebhookOrder = """
        {
          "id": 42, "event_id": 2, "payed": 1, "payed_at": "2025-11-01T10:17:32+03:00",
          "created_at": "2025-11-01T10:15:03+03:00", "updated_at": "2025-11-01T18:40:11+03:00",
          "client_id": 77, "client": {"id": 77, "email": "hook.buyer@example.test", "details": {"id": 80077, "name": "Ирина", "phone": "+7 (999) 000-00-77", "telegram_user": {"username": "irina77"}}},
          "basket_user_id": 6100077, "backend_user_id": 5001, "integrations": {"roistat": {"roistat_visit": "734577"}, "ga": {"ga_client_id": "1.2.3"}},
          "utm": {"utm_source": "vk"}, "custom": {"passport": "4510 123456"}, "fields": {"Телефон": "+79990000077"},
          "payment_card_number": "220000******0077", "uniqid": "AbCdEfGhIj",
          "refunds": [{"id": 1, "amount": 100, "payer_contact": "refund.contact@example.test", "payer_phone_number": "+7 999 000 00 78"}],
          "secondary_orders": [{"id": 43, "client_id": 77, "basket_user_id": 6100077, "client": {"id": 77, "email": "hook.buyer@example.test"}, "baskets": [{"id": 9, "client_email": "x.holder@example.test", "barcode": "123456789012"}]}],
          "baskets": [{"id": 10, "show_id": 20, "price": 100, "created_at": "2025-11-01T10:14:40+03:00", "client_phone": "+79990000078",
                       "barcode": "871849593199", "gpass_url": "https://qtickets.ru/ticket/gpass/AbCdEfGhIj/secret"}]
        }
        """;

    private static string SingleOrder(string utm, string basket = "") => $$"""
        {
          "id": 1, "event_id": 2, "payed": true, "payed_at": "2025-11-01T10:17:32+03:00",
          "created_at": "2025-11-01T10:15:03+03:00", "updated_at": "2025-11-01T18:40:11+03:00",
          "client_id": 700001, "currency_id": "RUB", {{utm}},
          "baskets": [{"id": 10, "show_id": 20, "price": 2500, "created_at": "2025-11-01T10:14:40+03:00" {{basket}}}]
        }
        """;

    /// <summary>Fields that name a person, whatever their value: spec §3's client (with its ids) and the accounts behind an order, and visitor ids.</summary>
    private static readonly string[] PersonIds = ["client", "client_id", "details", "basket_user_id", "backend_user_id", "user_id", "integrations", "roistat_visit", "ga_client_id"];

    private static IEnumerable<string> Names(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Names(p.Value).Prepend(p.Key)),
        JsonArray a => a.SelectMany(Names),
        _ => [],
    };

    private static IEnumerable<(string Name, string Value)> Leaves(JsonNode node, string name = "")
    {
        switch (node)
        {
            case JsonObject o:
                return o.SelectMany(p => p.Value is null ? [] : Leaves(p.Value, p.Key));
            case JsonArray a:
                return a.SelectMany(item => item is null ? [] : Leaves(item, name));
            default:
                return [(name, node.ToString())];
        }
    }

    /// <summary>Every value the input holds under a personal or secret field, wherever it is.</summary>
    private static IEnumerable<string> PersonalValues(JsonElement e, bool personal = false)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                return e.EnumerateObject().SelectMany(p => PersonalValues(p.Value, personal || p.NameEquals("client") || OrderPayload.DeniedFields.Contains(p.Name)));
            case JsonValueKind.Array:
                return e.EnumerateArray().SelectMany(item => PersonalValues(item, personal));
            case JsonValueKind.String when personal && e.GetString()!.Length >= 4:
                return [e.GetString()!];
            default:
                return [];
        }
    }

    [GeneratedRegex(@"\S+@\S+\.\S+")]
    private static partial Regex EmailLike();

    // International (+7 999 ...) and national (8 999 ..., 79990000001) phone spellings.
    [GeneratedRegex(@"^\+\d|^[78][\s(]*9\d{2}[\s)-]*\d{3}[\s-]*\d{2}[\s-]*\d{2}$")]
    private static partial Regex PhoneLike();
}
