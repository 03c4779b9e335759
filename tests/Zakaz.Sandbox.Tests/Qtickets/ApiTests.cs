using System.Net;
using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox.Tests.Qtickets;

[Collection(SandboxCollection.Name)]
public sealed class ApiTests(SandboxFixture fixture)
{
    private ApiClient Api => fixture.Api;

    [Fact]
    public async Task Orders_page_is_the_real_envelope_with_fifty_orders_in_ascending_id()
    {
        JsonElement envelope = await Api.JsonAsync("/orders", new { page = 2 });

        Assert.Equal(["data", "paging"], Keys(envelope));
        JsonElement paging = envelope.GetProperty("paging");
        Assert.Equal(["perPage", "currentPage", "total"], Keys(paging));
        Assert.Equal(50, paging.GetProperty("perPage").GetInt32());
        Assert.Equal(2, paging.GetProperty("currentPage").GetInt32());
        Assert.Equal(3_000, paging.GetProperty("total").GetInt32());
        long[] ids = Ids(envelope);
        Assert.Equal(50, ids.Length);
        Assert.Equal([.. ids.Order()], ids);
        long[] first = Ids(await Api.JsonAsync("/orders"));
        Assert.True(first[^1] < ids[0], "page 1 holds the oldest orders");
    }

    [Fact]
    public async Task Paging_ends_by_the_total_and_a_page_past_the_end_is_empty_with_paging_filled()
    {
        List<JsonElement> orders = await Api.AllAsync("/orders");
        JsonElement last = await Api.JsonAsync("/orders", new { page = 60 });
        JsonElement beyond = await Api.JsonAsync("/orders", new { page = 61 });

        Assert.Equal(3_000, orders.Count);
        Assert.Equal(3_000, orders.Select(o => o.GetProperty("id").GetInt64()).Distinct().Count());
        Assert.Equal(50, Ids(last).Length);
        Assert.Empty(Ids(beyond));
        Assert.Equal(61, beyond.GetProperty("paging").GetProperty("currentPage").GetInt32());
        Assert.Equal(3_000, beyond.GetProperty("paging").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Order_by_id_desc_gives_the_newest_first()
    {
        long[] newest = Ids(await Api.JsonAsync("/orders", new { orderBy = new { id = "desc" } }));
        long[] lastPage = Ids(await Api.JsonAsync("/orders", new { page = 60 }));

        Assert.Equal(lastPage.Reverse(), newest);
    }

    [Fact]
    public async Task Where_filters_paid_live_orders_and_a_time_window()
    {
        var body = new
        {
            where = new object[]
            {
                new { column = "payed", value = 1 },
                new { column = "deleted_at", @operator = "null" },
                new { column = "created_at", @operator = ">=", value = "2025-11-01T00:00:00+03:00" },
            },
        };
        JsonElement envelope = await Api.JsonAsync("/orders", body);
        List<JsonElement> all = await Api.AllAsync("/orders");

        int expected = all.Count(o => o.GetProperty("payed").GetBoolean() &&
            o.GetProperty("deleted_at").ValueKind == JsonValueKind.Null &&
            DateTimeOffset.Parse(o.GetProperty("created_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture) >=
            new DateTimeOffset(2025, 11, 1, 0, 0, 0, TimeSpan.FromHours(3)));
        Assert.Equal(expected, envelope.GetProperty("paging").GetProperty("total").GetInt32());
        Assert.All(envelope.GetProperty("data").EnumerateArray(), o =>
        {
            Assert.True(o.GetProperty("payed").GetBoolean());
            Assert.Equal(JsonValueKind.Null, o.GetProperty("deleted_at").ValueKind);
        });
    }

    [Theory]
    [InlineData("""{"where":[{"column":"no_such_column","value":1}]}""")]
    [InlineData("""{"where":[{"column":"id","operator":"~","value":1}]}""")]
    [InlineData("""{"orderBy":{"payed_at":"desc"}}""")]
    [InlineData("""{"where":"payed=1"}""")]
    [InlineData("""{"page": """)]
    public async Task Requests_the_api_cannot_read_get_its_503(string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(Api.Sandbox.BaseUrl + "/orders"))
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", Api.Sandbox.Token);

        using HttpResponseMessage response = await Api.SendRawAsync(request);

        await AssertUnknownErrorAsync(response);
    }

    [Fact]
    public async Task Where_in_the_query_string_and_POST_orders_get_503_unknown_error()
    {
        using HttpResponseMessage query = await Api.SendAsync("/orders?where[0][column]=payed&where[0][value]=1");
        using HttpResponseMessage post = await Api.SendAsync("/orders", new { page = 1 }, method: HttpMethod.Post);

        await AssertUnknownErrorAsync(query);
        await AssertUnknownErrorAsync(post);
    }

    [Fact]
    public async Task Missing_or_wrong_token_is_403_forbidden_json()
    {
        using HttpResponseMessage wrong = await Api.SendAsync("/orders", token: "not-the-token");
        using var anonymous = new HttpRequestMessage(HttpMethod.Get, new Uri(Api.Sandbox.BaseUrl + "/events"));
        using HttpResponseMessage missing = await Api.SendRawAsync(anonymous);

        foreach (HttpResponseMessage response in new[] { wrong, missing })
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Equal("""{"error":"Forbidden","status":403}""", await response.Content.ReadAsStringAsync());
        }
    }

    [Theory]
    [InlineData("/sales")]
    [InlineData("/events/310001/seats")]
    [InlineData("/orders/abc")]
    public async Task Unknown_route_is_the_html_404_page(string path)
    {
        using HttpResponseMessage response = await Api.SendAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Страница не найдена", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_order_is_404_resource_not_found_as_the_fixture()
    {
        using HttpResponseMessage response = await Api.SendAsync("/orders/5999999");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        string expected = SharedFixtures.Json("error_404.json").GetRawText();
        Assert.Equal(expected, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_word_after_discounts_hits_the_item_route_and_is_a_json_404()
    {
        using HttpResponseMessage response = await Api.SendAsync("/discounts/colors");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal(
            """{"error":"Resource \"Discount\" not found","status":404,"code":"RESOURCE_NOT_FOUND","info":{"id":"colors","resource":"Discount"}}""",
            await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Single_order_is_wrapped_in_data_and_equals_its_list_item()
    {
        JsonElement listed = (await Api.JsonAsync("/orders", new { page = 3 })).GetProperty("data")[7];

        JsonElement single = await Api.OrderAsync(listed.GetProperty("id").GetInt64());

        Assert.Equal(listed.GetRawText(), single.GetRawText());
    }

    [Fact]
    public async Task Order_and_basket_fields_match_the_shared_fixture_in_name_and_order()
    {
        JsonElement fixtureOrder = SharedFixtures.Json("orders_page1.json").GetProperty("data")[0];
        List<JsonElement> orders = await Api.AllAsync("/orders");

        Assert.All(orders.Take(200), order =>
        {
            Assert.Equal(Keys(fixtureOrder), Keys(order));
            Assert.Equal(Keys(fixtureOrder.GetProperty("client")), Keys(order.GetProperty("client")));
            Assert.Equal(Keys(fixtureOrder.GetProperty("client").GetProperty("details")),
                Keys(order.GetProperty("client").GetProperty("details")));
            Assert.All(order.GetProperty("baskets").EnumerateArray(), basket =>
                Assert.Equal(Keys(fixtureOrder.GetProperty("baskets")[0]), Keys(basket)));
        });
    }

    [Fact]
    public async Task Events_match_the_shared_fixture_and_page_by_ten()
    {
        JsonElement fixture = SharedFixtures.Json("events_page1.json").GetProperty("data")[0];
        JsonElement envelope = await Api.JsonAsync("/events");
        List<JsonElement> events = await Api.AllAsync("/events");

        Assert.Equal(10, envelope.GetProperty("paging").GetProperty("perPage").GetInt32());
        Assert.Equal(10, envelope.GetProperty("data").GetArrayLength());
        Assert.Equal(Api.Sandbox.EventCount, events.Count);
        Assert.All(events, e =>
        {
            Assert.Equal(Keys(fixture), Keys(e));
            Assert.Equal(["id", "name", "timezone"], Keys(e.GetProperty("city")));
            Assert.All(e.GetProperty("shows").EnumerateArray(), show => Assert.Equal(Keys(fixture.GetProperty("shows")[0]), Keys(show)));
        });
        JsonElement single = (await Api.JsonAsync($"/events/{events[3].GetProperty("id").GetInt64()}")).GetProperty("data");
        Assert.Equal(events[3].GetRawText(), single.GetRawText());
        using HttpResponseMessage unknown = await Api.SendAsync("/events/1");
        Assert.Contains("\"code\":\"RESOURCE_NOT_FOUND\"", await unknown.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Seats_come_in_the_three_shapes_of_the_fixtures()
    {
        int showId = (await Api.AllAsync("/events"))[0].GetProperty("shows")[0].GetProperty("id").GetInt32();
        string[] select = ["id", "zone_id", "admission", "max_quantity", "free_quantity", "available", "disabled"];

        JsonElement flat = (await Api.JsonAsync($"/shows/{showId}/seats", new { select, flat = true })).GetProperty("data");
        JsonElement zones = (await Api.JsonAsync($"/shows/{showId}/seats", new { select })).GetProperty("data");
        JsonElement plain = (await Api.JsonAsync($"/shows/{showId}/seats")).GetProperty("data");

        JsonElement fixtureFlat = SharedFixtures.Json("seats_flat_910001.json").GetProperty("data");
        Assert.All(flat.EnumerateObject(), seat => Assert.Equal(Keys(fixtureFlat.EnumerateObject().First().Value), Keys(seat.Value)));
        JsonElement fixtureZone = SharedFixtures.Json("seats_zones_910001.json").GetProperty("data").EnumerateObject().First().Value;
        JsonElement fixturePlainZone = SharedFixtures.Json("seats_zones_default_910001.json").GetProperty("data")
            .EnumerateObject().First().Value;
        Assert.All(zones.EnumerateObject(), zone =>
        {
            Assert.Equal(Keys(fixtureZone), Keys(zone.Value));
            Assert.All(zone.Value.GetProperty("seats").EnumerateObject(), seat =>
                Assert.Equal(Keys(fixtureZone.GetProperty("seats").EnumerateObject().First().Value), Keys(seat.Value)));
        });
        Assert.All(plain.EnumerateObject(), zone => Assert.All(zone.Value.GetProperty("seats").EnumerateObject(), seat =>
            Assert.Equal(Keys(fixturePlainZone.GetProperty("seats").EnumerateObject().First().Value), Keys(seat.Value))));
        Assert.Equal(flat.EnumerateObject().Count(), zones.EnumerateObject().Sum(z => z.Value.GetProperty("seats").EnumerateObject().Count()));
        Assert.Contains(flat.EnumerateObject(), seat => seat.Value.GetProperty("admission").GetBoolean());
    }

    [Fact]
    public async Task Unknown_show_seats_are_404_resource_not_found()
    {
        using HttpResponseMessage response = await Api.SendAsync("/shows/1/seats");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("\"resource\":\"Show\"", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Discounts_promo_codes_and_colour_themes_have_their_page_sizes_and_fields()
    {
        JsonElement discounts = await Api.JsonAsync("/discounts");
        JsonElement codes = await Api.JsonAsync("/promo-codes");
        JsonElement themes = await Api.JsonAsync("/color-themes");

        Assert.Equal(100, discounts.GetProperty("paging").GetProperty("perPage").GetInt32());
        Assert.Equal(500, codes.GetProperty("paging").GetProperty("perPage").GetInt32());
        Assert.Equal(
            ["id", "is_active", "name", "active_from", "active_to", "type", "events", "shows", "created_at", "updated_at", "deleted_at"],
            Keys(discounts.GetProperty("data")[0]));
        Assert.Equal(
            ["id", "is_active", "type", "discount_id", "code", "max_uses_count", "active_from", "active_to", "created_at", "updated_at", "deleted_at"],
            Keys(codes.GetProperty("data")[0]));
        Assert.Equal(15, themes.GetProperty("data").GetArrayLength());
        Assert.False(themes.TryGetProperty("paging", out _));
    }

    [Fact]
    public async Task Truth_endpoint_serves_the_in_process_truth_without_a_token()
    {
        using var http = new HttpClient();

        string served = await http.GetStringAsync(Api.Sandbox.TruthUrl);

        Assert.Equal(Api.Sandbox.Truth.ToJson(), served);
        Assert.Equal(
            Keys(SharedFixtures.Json("expected_summary.json")).Order(),
            Keys(JsonDocument.Parse(served).RootElement).Except(["by_city", "by_utm_campaign"]).Order());
    }

    private static async Task AssertUnknownErrorAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(SharedFixtures.Json("error_503.json").GetRawText(), await response.Content.ReadAsStringAsync());
    }

    internal static string[] Keys(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name)];

    private static long[] Ids(JsonElement envelope) =>
        [.. envelope.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetInt64())];
}
