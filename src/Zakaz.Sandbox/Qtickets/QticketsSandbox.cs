using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// A local server speaking the Qtickets REST v1 API for a generated promoter, on 127.0.0.1: the API under
/// <see cref="BaseUrl"/>, the ground truth and controls under <c>/__sandbox/</c>. Tests, the demo and benchmarks use
/// it in-process; <c>zakaz sandbox qtickets</c> runs it in the foreground.
/// </summary>
public sealed class QticketsSandbox : LoopbackSandbox
{
    private readonly TicketOffice _office;
    private readonly HttpClient _webhooks = new();

    private QticketsSandbox(TicketOffice office, QticketsFaults faults, string token)
    {
        _office = office;
        Faults = faults;
        Token = token;
    }

    /// <summary><c>http://127.0.0.1:port/api/rest/v1</c>, the value of <c>QTICKETS_BASE_URL</c> (no trailing slash).</summary>
    public Uri BaseUrl => new(RootUrl, QticketsApi.BasePath);

    /// <summary><c>GET</c> gives <see cref="QticketsGroundTruth.ToJson"/>.</summary>
    public Uri TruthUrl => new(RootUrl, SandboxControl.BasePath + "/truth");

    /// <summary><c>POST {"count", "until"?}</c> runs <see cref="AddOrders"/>: how a loader in another process makes new sales.</summary>
    public Uri OrdersUrl => new(RootUrl, SandboxControl.BasePath + "/orders");

    public string Token { get; }

    public DateTimeOffset Anchor => SandboxTime.ToMoscow(_office.Anchor);

    public QticketsFaults Faults { get; }

    /// <summary>The spec's figures for the data as it is now; mutations change it.</summary>
    public QticketsGroundTruth Truth => _office.Truth;

    public int OrderCount => _office.Read(o => o.Orders.Count);

    public int EventCount => _office.Events.Count;

    public static async Task<QticketsSandbox> StartAsync(QticketsSandboxOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new QticketsSandboxOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Orders);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.Orders, 5_000_000);
        DateTimeOffset anchor = options.AnchorOrNow();
        TicketOffice office = await Task.Run(
            () => PromoterGenerator.Generate(options.Seed, options.Orders, anchor.ToUnixTimeSeconds()), cancellationToken);
        var faults = new QticketsFaults(options.Seed) { IgnoreFilters = options.IgnoreFilters };
        faults.SetLatency(options.Latency, options.LatencyJitter);
        string token = options.Token ?? RandomNumberGenerator.GetHexString(32, lowercase: true);
        var sandbox = new QticketsSandbox(office, faults, token);
        var api = new QticketsApi(office, faults, token);
        var control = new SandboxControl(sandbox);
        await sandbox.ListenAsync(options.Port, context =>
            context.Request.Path.StartsWithSegments(SandboxControl.BasePath, StringComparison.Ordinal)
                ? control.HandleAsync(context)
                : api.HandleAsync(context), cancellationToken);
        return sandbox;
    }

    /// <summary>Refunds one ticket of a sale at <paramref name="at"/>: <c>refunded_at</c> set, <c>updated_at</c> moved.</summary>
    public void RefundBasket(long orderId, long basketId, DateTimeOffset at) =>
        _office.RefundBasket(orderId, basketId, at.ToUnixTimeSeconds());

    /// <summary>Cancels an order at <paramref name="at"/>: it and all its tickets get <c>deleted_at</c>, barcodes go.</summary>
    public void CancelOrder(long orderId, DateTimeOffset at) => _office.CancelOrder(orderId, at.ToUnixTimeSeconds());

    /// <summary>
    /// A late change's target: the oldest ticket still sold (of a sale, neither refunded nor cancelled) of the
    /// event whose last show ended nearest <paramref name="endedAgo"/> before the anchor, with that event and its end.
    /// </summary>
    public (int EventId, DateTimeOffset EventEnd, long OrderId, long BasketId) OldestSoldTicketOfEventEnded(TimeSpan endedAgo)
    {
        QticketsGroundTruth truth = Truth;
        DateTimeOffset target = Anchor - endedAgo;
        (int eventId, DateTimeOffset end) = truth.Events
            .Where(e => !e.Value.Deleted && e.Value.End < Anchor && truth.ByEvent.GetValueOrDefault(e.Key)?.Tickets > 0)
            .Select(e => (e.Key, End: e.Value.End!.Value))
            .MinBy(e => (e.End - target).Duration());
        return _office.Read(office =>
        {
            foreach (OrderRow order in office.Orders)
            {
                if (order.IsSale && office.Events[order.EventIndex].Id == eventId)
                {
                    foreach (BasketRow basket in office.BasketsOf(order))
                    {
                        if (basket.IsLive)
                        {
                            return (eventId, end, (long)order.Id, (long)basket.Id);
                        }
                    }
                }
            }
            throw new InvalidOperationException($"Event {eventId} has no sold ticket.");
        });
    }

    /// <summary>
    /// Adds <paramref name="count"/> orders created after the newest one, spread up to <paramref name="until"/>
    /// (default: a minute per order); returns their ids.
    /// </summary>
    public IReadOnlyList<long> AddOrders(int count, DateTimeOffset? until = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        long last = _office.Read(o => o.Orders.Count == 0 ? o.Anchor : o.Orders[^1].CreatedAt);
        return _office.AddOrders(count, until?.ToUnixTimeSeconds() ?? last + count * SandboxTime.Minute);
    }

    /// <summary>
    /// Delivers a webhook as Qtickets does (spec §6): a POST of the whole order at the top level, with
    /// <c>X-Signature</c> (hex HMAC-SHA1 of the body keyed with <paramref name="secret"/>), <c>X-Event-Type</c>,
    /// <c>X-Model-Name: Order</c> and <c>User-Agent: Qtickets-Webhooks/2.0</c>. Returns the receiver's status.
    /// </summary>
    public async Task<HttpStatusCode> SendWebhookAsync(Uri target, string secret, long orderId, string eventType,
        CancellationToken cancellationToken = default)
    {
        byte[] body = _office.Read(office =>
        {
            int index = office.FindOrder(orderId) ?? throw new KeyNotFoundException($"No order {orderId}.");
            var buffer = new ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                QticketsJson.WriteOrder(writer, office, office.Orders[index], webhook: true);
            }
            return buffer.WrittenSpan.ToArray();
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-Signature", Convert.ToHexStringLower(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), body)));
        request.Headers.Add("X-Event-Type", eventType);
        request.Headers.Add("X-Model-Name", "Order");
        request.Headers.TryAddWithoutValidation("User-Agent", "Qtickets-Webhooks/2.0");
        using HttpResponseMessage response = await _webhooks.SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _webhooks.Dispose();
    }

    /// <summary>When a change made over HTTP without a time happens: now, but never before the generated history ends.</summary>
    internal DateTimeOffset NextChangeTime()
    {
        long latest = _office.Read(o => Math.Max(o.Anchor, o.Orders.Count == 0 ? 0 : o.Orders.Max(r => r.UpdatedAt)));
        return SandboxTime.ToMoscow(Math.Max(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), latest + 1));
    }
}
