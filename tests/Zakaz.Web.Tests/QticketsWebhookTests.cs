using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Zakaz.Configuration;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;
using Zakaz.Testing;
using Zakaz.Web.Qtickets;

namespace Zakaz.Web.Tests;

/// <summary>
/// <c>POST /webhooks/qtickets</c> on Kestrel over the real schema, fed real signed hooks by the Qtickets
/// sandbox. After each reset the store holds only what the hooks wrote, so a sale date's totals in
/// <c>bi.v_sales_daily</c> are the delivered order's.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class QticketsWebhookTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private const string Secret = "hook-secret";
    private static readonly DateTimeOffset Anchor = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly QticketsSandboxOptions SandboxOptions = new() { Seed = 7, Orders = 400, Anchor = Anchor };
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private QticketsSandbox _sandbox = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        _sandbox = await QticketsSandbox.StartAsync(SandboxOptions);
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_valid_hook_stores_the_order_and_its_sale_date_facts()
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        var sale = await FindSaleAsync(_sandbox);

        Assert.Equal(HttpStatusCode.OK, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "payed"));

        Assert.Equal((1UL, sale.UpdatedAt), await StoredOrderAsync(sale.Id));
        Assert.Equal((1UL, sale.Revenue), await SalesAsync(sale.SaleDate));
    }

    [Fact]
    public async Task The_same_hook_twice_counts_once()
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        var sale = await FindSaleAsync(_sandbox);

        Assert.Equal(HttpStatusCode.OK, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "payed"));
        Assert.Equal(HttpStatusCode.OK, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "payed"));

        Assert.Equal((1UL, sale.UpdatedAt), await StoredOrderAsync(sale.Id));
        Assert.Equal((1UL, sale.Revenue), await SalesAsync(sale.SaleDate));
    }

    [Fact]
    public async Task A_refund_lowers_the_revenue_of_the_original_sale_date()
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        var sale = await FindSaleAsync(_sandbox);
        Assert.Equal(HttpStatusCode.OK, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "payed"));

        _sandbox.RefundBasket(sale.Id, sale.BasketId, Anchor.AddHours(1));
        Assert.Equal(HttpStatusCode.OK, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "refunded"));

        Assert.Equal((1UL, Anchor.AddHours(1)), await StoredOrderAsync(sale.Id));
        var (orders, revenue) = await SalesAsync(sale.SaleDate);
        Assert.Equal(sale.Revenue - sale.BasketPrice, revenue);
        Assert.Equal(sale.Revenue == sale.BasketPrice ? 0UL : 1UL, orders);
    }

    [Fact]
    public async Task An_older_update_after_a_newer_one_changes_nothing()
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        // Same seed and anchor: the same promoter, so the untouched sandbox serves the order as it was before the refund.
        await using var before = await QticketsSandbox.StartAsync(SandboxOptions);
        var sale = await FindSaleAsync(_sandbox);
        _sandbox.RefundBasket(sale.Id, sale.BasketId, Anchor.AddHours(1));

        Assert.Equal(HttpStatusCode.OK, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "refunded"));
        Assert.Equal(HttpStatusCode.OK, await before.SendWebhookAsync(receiver.Url, Secret, sale.Id, "payed"));

        Assert.Equal((1UL, Anchor.AddHours(1)), await StoredOrderAsync(sale.Id));
        Assert.Equal(sale.Revenue - sale.BasketPrice, (await SalesAsync(sale.SaleDate)).Revenue);
    }

    [Fact]
    public async Task A_wrong_signature_is_refused_and_writes_nothing()
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        var sale = await FindSaleAsync(_sandbox);

        Assert.Equal(HttpStatusCode.Unauthorized, await _sandbox.SendWebhookAsync(receiver.Url, "not-the-secret", sale.Id, "payed"));

        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_orders_raw"));
        Assert.Equal(0UL, await RowsAsync("zakaz.fact_qtickets_sales_daily"));
    }

    [Fact]
    public async Task A_missing_signature_is_refused()
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new StringContent("""{"id": 1}""", Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Event-Type", "created");
        request.Headers.Add("X-Model-Name", "Order");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_orders_raw"));
    }

    [Theory]
    [InlineData("Event", "updated")]
    [InlineData("Order", "archived")]
    public async Task Other_models_and_unknown_event_types_are_acknowledged_and_ignored(string model, string eventType)
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        var body = """{"id": 1, "event_id": 2, "payed": true, "created_at": "2026-03-01T10:00:00+03:00", "updated_at": "2026-03-01T10:00:00+03:00", "baskets": []}"""u8.ToArray();
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), body)));
        request.Headers.Add("X-Event-Type", eventType);
        request.Headers.Add("X-Model-Name", model);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_orders_raw"));
    }

    [Theory]
    [InlineData("\"id\": -5", "'id' is -5, not a positive id")]
    [InlineData("\"id\": 0", "'id' is 0, not a positive id")]
    [InlineData("\"event_id\": -1", "'event_id' is -1, not a positive id")]
    [InlineData("\"event_id\": null", "'event_id' is missing")]
    [InlineData("\"promo_code_id\": -3", "'promo_code_id' is -3, not a positive id")]
    [InlineData("\"updated_at\": \"1900-01-01T00:00:00+03:00\"", "'updated_at' is 1900-01-01T00:00:00+03:00, outside")]
    [InlineData("\"payed_at\": \"2200-01-01T00:00:00+03:00\"", "'payed_at' is 2200-01-01T00:00:00+03:00, outside")]
    [InlineData("\"show_id\": -1", "'show_id' is -1, not a positive id")]
    [InlineData("\"quantity\": 70000", "'quantity' is 70000, not a ticket count from 0 to 65535")]
    [InlineData("\"quantity\": 99999999999", "'quantity' is 99999999999, not a ticket count from 0 to 65535")]
    [InlineData("\"price\": 100000000000000000", "'price' is 100000000000000000, more than 9999999999999999.99")]
    public async Task A_signed_order_that_cannot_be_valid_is_a_422_and_writes_nothing(string field, string reason)
    {
        await using var receiver = await Receiver.StartAsync(schema.Store);
        var order = new Dictionary<string, string>
        {
            ["id"] = "\"id\": 41",
            ["event_id"] = "\"event_id\": 2",
            ["promo_code_id"] = "\"promo_code_id\": null",
            ["updated_at"] = "\"updated_at\": \"2026-03-01T10:00:00+03:00\"",
            ["payed_at"] = "\"payed_at\": \"2026-03-01T10:00:00+03:00\"",
        };
        var basket = new Dictionary<string, string> { ["show_id"] = "\"show_id\": 3", ["quantity"] = "\"quantity\": 1", ["price"] = "\"price\": 1500" };
        var name = field[1..field.IndexOf('"', 1)];
        (order.ContainsKey(name) ? order : basket)[name] = field;
        var body = Encoding.UTF8.GetBytes($$"""
            {{{string.Join(", ", order.Values)}}, "payed": true, "created_at": "2026-03-01T10:00:00+03:00",
             "baskets": [{"id": 10, {{string.Join(", ", basket.Values)}}, "created_at": "2026-03-01T10:00:00+03:00"}]}
            """);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, receiver.Url) { Content = new ByteArrayContent(body) };
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret), body)));
        request.Headers.Add("X-Event-Type", "payed");
        request.Headers.Add("X-Model-Name", "Order");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_orders_raw"));
        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_tickets_raw"));
    }

    [Fact]
    public async Task Without_a_configured_secret_every_hook_is_refused_with_503()
    {
        await using var receiver = await Receiver.StartAsync(schema.Store, secret: null);
        var sale = await FindSaleAsync(_sandbox);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "payed"));
        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_orders_raw"));
    }

    [Fact]
    public async Task A_store_that_fails_gives_500_and_nothing_half_written()
    {
        await using var receiver = await Receiver.StartAsync(new FailingInserts(schema.Store));
        var sale = await FindSaleAsync(_sandbox);

        Assert.Equal(HttpStatusCode.InternalServerError, await _sandbox.SendWebhookAsync(receiver.Url, Secret, sale.Id, "payed"));

        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_orders_raw"));
        Assert.Equal(0UL, await RowsAsync("zakaz.stg_qtickets_api_tickets_raw"));
        Assert.Equal(0UL, await RowsAsync("zakaz.fact_qtickets_sales_daily"));
    }

    private async Task<(ulong Rows, DateTimeOffset UpdatedAt)> StoredOrderAsync(long orderId)
    {
        var result = await schema.Store.QueryAsync(
            "SELECT count(), max(updated_at) FROM zakaz.stg_qtickets_api_orders_raw FINAL WHERE order_id = {id:UInt64}",
            new QueryParameters().Add("id", (ulong)orderId));
        return (result.Get<ulong>(0, 0), result.Get<DateTimeOffset>(0, 1));
    }

    private async Task<(ulong Orders, decimal Revenue)> SalesAsync(DateOnly date)
    {
        var result = await schema.Store.QueryAsync(
            "SELECT toUInt64(sum(orders)), toDecimal64(sum(revenue), 2) FROM bi.v_sales_daily WHERE d = {d:Date}",
            new QueryParameters().Add("d", date));
        return (result.Get<ulong>(0, 0), result.Get<decimal>(0, 1));
    }

    private async Task<ulong> RowsAsync(string table) =>
        (await schema.Store.QueryAsync($"SELECT count() FROM {table}")).Scalar<ulong>();

    /// <summary>A paid, not cancelled order with a ticket still sold, as the API serves it.</summary>
    private static async Task<Sale> FindSaleAsync(QticketsSandbox sandbox)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(sandbox.BaseUrl + "/orders"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", sandbox.Token);
        using var response = await http.SendAsync(request);
        response.EnsureSuccessStatusCode();
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        foreach (var order in page.RootElement.GetProperty("data").EnumerateArray())
        {
            if (!order.GetProperty("payed").GetBoolean() || order.GetProperty("deleted_at").ValueKind != JsonValueKind.Null)
            {
                continue;
            }
            var sold = order.GetProperty("baskets").EnumerateArray()
                .Where(b => b.GetProperty("deleted_at").ValueKind == JsonValueKind.Null && b.GetProperty("refunded_at").ValueKind == JsonValueKind.Null)
                .ToArray();
            if (sold.FirstOrDefault(b => b.GetProperty("price").GetDecimal() > 0) is { ValueKind: JsonValueKind.Object } basket)
            {
                var payedAt = Time(order, "payed_at");
                return new Sale(order.GetProperty("id").GetInt64(), Time(order, "updated_at"),
                    DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(payedAt, Moscow).DateTime),
                    sold.Sum(b => b.GetProperty("price").GetDecimal()),
                    basket.GetProperty("id").GetInt64(), basket.GetProperty("price").GetDecimal());
            }
        }
        throw new InvalidOperationException("No sale on the first page of orders.");
    }

    private static DateTimeOffset Time(JsonElement element, string name) =>
        DateTimeOffset.Parse(element.GetProperty(name).GetString()!, CultureInfo.InvariantCulture);

    private sealed record Sale(long Id, DateTimeOffset UpdatedAt, DateOnly SaleDate, decimal Revenue, long BasketId, decimal BasketPrice);

    /// <summary>The endpoint alone on Kestrel at a free loopback port, ingesting into <c>store</c>.</summary>
    private sealed class Receiver(WebApplication app) : IAsyncDisposable
    {
        public Uri Url { get; } = new(app.Urls.First().TrimEnd('/') + QticketsWebhookEndpoints.Path);

        public static async Task<Receiver> StartAsync(IClickHouseStore store, string? secret = Secret)
        {
            var builder = WebApplication.CreateBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            var qtickets = new QticketsOptions { BuyerKeySecret = "webhook-tests-buyer-key" };
            app.MapQticketsWebhooks(new QticketsWebhookOptions { Secret = secret, Ingest = new QticketsOrderIngest(store, qtickets) });
            await app.StartAsync();
            return new Receiver(app);
        }

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>The real store, except that every insert fails as a lost server would.</summary>
    private sealed class FailingInserts(IClickHouseStore store) : IClickHouseStore
    {
        public StoreKind Kind => store.Kind;

        public string Location => store.Location;

        public StoreSecrets Secrets => store.Secrets;

        public Task ExecuteAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
            store.ExecuteAsync(sql, parameters, options, cancellationToken);

        public Task<QueryResult> QueryAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
            store.QueryAsync(sql, parameters, options, cancellationToken);

        public Task QueryToStreamAsync(string sql, string format, Stream destination, QueryParameters? parameters = null, QueryOptions? options = null,
            CancellationToken cancellationToken = default) =>
            store.QueryToStreamAsync(sql, format, destination, parameters, options, cancellationToken);

        public Task<long> InsertAsync<T>(string table, RowSchema<T> schema, IEnumerable<T> rows, InsertOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new StoreUnavailableException($"Insert into {table} refused by the test.");

        // The shared store outlives every test.
        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
