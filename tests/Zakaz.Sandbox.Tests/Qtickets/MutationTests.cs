using System.Net;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox.Tests.Qtickets;

/// <summary>Each test mutates its own sandbox.</summary>
public sealed class MutationTests
{
    private static readonly QticketsSandboxOptions Options = SandboxFixture.Options with { Orders = 600 };

    [Fact]
    public async Task A_later_refund_lowers_the_truth_on_the_original_sale_date_and_shows_in_the_served_order()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(Options);
        using var api = new ApiClient(sandbox);
        (JsonElement order, JsonElement basket) = await FindSoldTicketAsync(api);
        QticketsGroundTruth before = sandbox.Truth;
        DateTimeOffset at = SandboxFixture.Anchor.AddHours(2);
        decimal price = basket.GetProperty("price").GetDecimal();
        var saleDate = DateOnly.FromDateTime(Time(order, "payed_at").DateTime);

        sandbox.RefundBasket(order.GetProperty("id").GetInt64(), basket.GetProperty("id").GetInt64(), at);

        QticketsGroundTruth after = sandbox.Truth;
        Assert.Equal(before.Revenue - price, after.Revenue);
        Assert.Equal(before.TicketsSold - 1, after.TicketsSold);
        Assert.Equal(before.RefundedAmount + price, after.RefundedAmount);
        Assert.Equal(before.BySaleDate[saleDate].Revenue - price, after.BySaleDate[saleDate].Revenue);
        JsonElement served = await api.OrderAsync(order.GetProperty("id").GetInt64());
        JsonElement refunded = served.GetProperty("baskets").EnumerateArray()
            .Single(b => b.GetProperty("id").GetInt64() == basket.GetProperty("id").GetInt64());
        Assert.Equal(at, Time(refunded, "refunded_at"));
        Assert.Equal(price, refunded.GetProperty("refunded_amount").GetDecimal());
        Assert.Equal(at, Time(served, "updated_at"));
        Assert.True(served.GetProperty("payed").GetBoolean());
        Assert.Equal(SpecTotal(await api.AllAsync("/orders"), await api.AllAsync("/events")), after.Revenue);
    }

    [Fact]
    public async Task Cancelling_a_paid_order_removes_it_from_the_truth_and_deletes_its_tickets()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(Options);
        using var api = new ApiClient(sandbox);
        (JsonElement order, _) = await FindSoldTicketAsync(api);
        long id = order.GetProperty("id").GetInt64();
        QticketsGroundTruth before = sandbox.Truth;
        DateTimeOffset at = SandboxFixture.Anchor.AddHours(3);

        sandbox.CancelOrder(id, at);

        JsonElement served = await api.OrderAsync(id);
        Assert.Equal(at, Time(served, "deleted_at"));
        Assert.All(served.GetProperty("baskets").EnumerateArray(), b =>
        {
            Assert.Equal(at, Time(b, "deleted_at"));
            Assert.Equal(JsonValueKind.Null, b.GetProperty("barcode").ValueKind);
            Assert.Equal(0, b.GetProperty("ticket_amount").GetDecimal());
        });
        QticketsGroundTruth after = sandbox.Truth;
        Assert.Equal(before.PaidOrders - 1, after.PaidOrders);
        Assert.Equal(before.CancelledOrders + 1, after.CancelledOrders);
        Assert.True(after.Revenue < before.Revenue);
        Assert.Equal(SpecTotal(await api.AllAsync("/orders"), await api.AllAsync("/events")), after.Revenue);
        Assert.Throws<InvalidOperationException>(() => sandbox.CancelOrder(id, at.AddHours(1)));
    }

    [Fact]
    public async Task A_refund_and_a_cancellation_move_updated_at_so_a_where_on_it_finds_exactly_those_orders_newest_change_first()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(Options);
        using var api = new ApiClient(sandbox);
        (JsonElement refunded, JsonElement basket) = await FindSoldTicketAsync(api);
        long cancelled = (await api.AllAsync("/orders")).First(o => o.GetProperty("deleted_at").ValueKind == JsonValueKind.Null
            && o.GetProperty("id").GetInt64() != refunded.GetProperty("id").GetInt64()).GetProperty("id").GetInt64();
        DateTimeOffset at = SandboxFixture.Anchor.AddHours(2);

        sandbox.RefundBasket(refunded.GetProperty("id").GetInt64(), basket.GetProperty("id").GetInt64(), at);
        sandbox.CancelOrder(cancelled, at.AddMinutes(5));
        JsonElement changed = await api.JsonAsync("/orders", new
        {
            where = new object[] { new { column = "updated_at", @operator = ">=", value = at.ToOffset(TimeSpan.FromHours(3)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) } },
            orderBy = new { updated_at = "desc" },
        });

        Assert.Equal(new[] { cancelled, refunded.GetProperty("id").GetInt64() }, changed.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetInt64()));
        Assert.Equal(2, changed.GetProperty("paging").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Added_orders_come_after_the_newest_and_move_the_truth_and_the_seats()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(Options);
        using var api = new ApiClient(sandbox);
        long newest = (await api.JsonAsync("/orders", new { orderBy = new { id = "desc" } })).GetProperty("data")[0]
            .GetProperty("id").GetInt64();
        QticketsGroundTruth before = sandbox.Truth;

        IReadOnlyList<long> ids = sandbox.AddOrders(30, SandboxFixture.Anchor.AddHours(6));

        Assert.Equal(30, ids.Count);
        Assert.True(ids[0] > newest);
        Assert.Equal(ids.Order(), ids);
        Assert.Equal(630, (await api.JsonAsync("/orders")).GetProperty("paging").GetProperty("total").GetInt32());
        QticketsGroundTruth after = sandbox.Truth;
        Assert.True(after.TicketsSold > before.TicketsSold);
        Assert.True(after.Inventory.Values.Sum(i => i.Sold) > before.Inventory.Values.Sum(i => i.Sold));
        Assert.Equal(SpecTotal(await api.AllAsync("/orders"), await api.AllAsync("/events")), after.Revenue);
    }

    [Fact]
    public async Task Refunds_are_checked()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(Options);
        using var api = new ApiClient(sandbox);
        (JsonElement order, JsonElement basket) = await FindSoldTicketAsync(api);
        long orderId = order.GetProperty("id").GetInt64();
        long basketId = basket.GetProperty("id").GetInt64();

        Assert.Throws<KeyNotFoundException>(() => sandbox.RefundBasket(1, basketId, SandboxFixture.Anchor.AddHours(1)));
        Assert.Throws<KeyNotFoundException>(() => sandbox.RefundBasket(orderId, 1, SandboxFixture.Anchor.AddHours(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => sandbox.RefundBasket(orderId, basketId, Time(basket, "created_at")));
        sandbox.RefundBasket(orderId, basketId, SandboxFixture.Anchor.AddHours(1));
        Assert.Throws<InvalidOperationException>(() => sandbox.RefundBasket(orderId, basketId, SandboxFixture.Anchor.AddHours(2)));
    }

    [Fact]
    public async Task Control_routes_refund_and_add_orders_over_http()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(Options);
        using var api = new ApiClient(sandbox);
        using var http = new HttpClient();
        (JsonElement order, JsonElement basket) = await FindSoldTicketAsync(api);
        decimal revenue = sandbox.Truth.Revenue;

        using HttpResponseMessage refund = await http.PostAsync(new Uri(sandbox.RootUrl, "__sandbox/refund"), new StringContent(
            $$"""{"order_id":{{order.GetProperty("id")}},"basket_id":{{basket.GetProperty("id")}}}"""));
        using HttpResponseMessage added = await http.PostAsync(new Uri(sandbox.RootUrl, "__sandbox/orders"), new StringContent("""{"count":3}"""));
        using HttpResponseMessage wrong = await http.PostAsync(new Uri(sandbox.RootUrl, "__sandbox/cancel"), new StringContent("""{"order_id":1}"""));

        Assert.Equal(HttpStatusCode.OK, refund.StatusCode);
        Assert.Equal(HttpStatusCode.OK, added.StatusCode);
        Assert.Equal(3, JsonDocument.Parse(await added.Content.ReadAsStringAsync()).RootElement.GetProperty("ids").GetArrayLength());
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        Assert.Equal(603, sandbox.OrderCount);
        Assert.NotEqual(revenue, sandbox.Truth.Revenue);
    }

    [Fact]
    public async Task Webhook_posts_the_whole_order_signed_with_hmac_sha1()
    {
        await using QticketsSandbox sandbox = await QticketsSandbox.StartAsync(Options);
        using var api = new ApiClient(sandbox);
        (JsonElement order, JsonElement basket) = await FindSoldTicketAsync(api);
        long id = order.GetProperty("id").GetInt64();
        sandbox.RefundBasket(id, basket.GetProperty("id").GetInt64(), SandboxFixture.Anchor.AddHours(1));
        var received = new TaskCompletionSource<(Dictionary<string, string> Headers, byte[] Body)>();
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        await using WebApplication receiver = builder.Build();
        receiver.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            // The request's header collection is recycled after the response: copy it.
            received.SetResult((context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString()), body.ToArray()));
        });
        await receiver.StartAsync();

        HttpStatusCode status = await sandbox.SendWebhookAsync(new Uri(receiver.Urls.First()), "hook-secret", id, "refunded");

        Assert.Equal(HttpStatusCode.OK, status);
        (Dictionary<string, string> headers, byte[] payload) = await received.Task;
        Assert.Equal(Convert.ToHexStringLower(HMACSHA1.HashData("hook-secret"u8, payload)), headers["X-Signature"]);
        Assert.Equal("refunded", headers["X-Event-Type"]);
        Assert.Equal("Order", headers["X-Model-Name"]);
        Assert.Equal("Qtickets-Webhooks/2.0", headers["User-Agent"]);
        JsonElement hook = JsonDocument.Parse(Encoding.UTF8.GetString(payload)).RootElement;
        Assert.Equal(id, hook.GetProperty("id").GetInt64());
        Assert.Equal(basket.GetProperty("id").GetInt64(), hook.GetProperty("refunded_baskets")[0].GetInt64());
        Assert.True(hook.TryGetProperty("primary_orders", out _));
        Assert.True(hook.GetProperty("client").GetProperty("details").TryGetProperty("telegram_user", out _));
        JsonElement served = await api.OrderAsync(id);
        Assert.All(ApiTests.Keys(served), key => Assert.True(hook.TryGetProperty(key, out _), key));
    }

    /// <summary>A sold ticket (live basket of a sale) of an order paid before the anchor.</summary>
    private static async Task<(JsonElement Order, JsonElement Basket)> FindSoldTicketAsync(ApiClient api)
    {
        foreach (JsonElement order in (await api.JsonAsync("/orders", new { page = 5 })).GetProperty("data").EnumerateArray())
        {
            if (order.GetProperty("payed").GetBoolean() && order.GetProperty("deleted_at").ValueKind == JsonValueKind.Null &&
                order.GetProperty("baskets").EnumerateArray().FirstOrDefault(b =>
                    b.GetProperty("deleted_at").ValueKind == JsonValueKind.Null &&
                    b.GetProperty("refunded_at").ValueKind == JsonValueKind.Null &&
                    b.GetProperty("price").GetDecimal() > 0) is { ValueKind: JsonValueKind.Object } basket)
            {
                return (order, basket);
            }
        }
        throw new InvalidOperationException("No sold ticket on page 5.");
    }

    private static decimal SpecTotal(List<JsonElement> orders, List<JsonElement> events) =>
        SpecCalculator.Compute(orders, events).Groups["total"].Revenue;

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);
}
