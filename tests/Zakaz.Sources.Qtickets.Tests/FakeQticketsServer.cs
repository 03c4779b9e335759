using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Zakaz.Testing;

namespace Zakaz.Sources.Qtickets.Tests;

/// <summary>
/// A Qtickets stand-in on 127.0.0.1 (Kestrel, free port): every request goes to the test's
/// handler, and the server records what arrived and how many requests were in flight at most.
/// </summary>
internal sealed class FakeQticketsServer : IAsyncDisposable
{
    public const string Token = "qt-secret-token-0123456789abcdef";

    private readonly WebApplication _app;
    private int _inFlight;
    private int _maxInFlight;

    private FakeQticketsServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = null!;

    public ConcurrentQueue<ReceivedRequest> Requests { get; } = new();

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public static async Task<FakeQticketsServer> StartAsync(Func<HttpContext, ReceivedRequest, Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new FakeQticketsServer(app);
        app.Run(async context =>
        {
            var now = Interlocked.Increment(ref server._inFlight);
            int max;
            while (now > (max = Volatile.Read(ref server._maxInFlight)) && Interlocked.CompareExchange(ref server._maxInFlight, now, max) != max)
            {
            }
            try
            {
                var text = await new StreamReader(context.Request.Body).ReadToEndAsync();
                var request = new ReceivedRequest(
                    context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers.Authorization.ToString(),
                    text.Length == 0 ? null : JsonNode.Parse(text));
                server.Requests.Enqueue(request);
                await handle(context, request);
            }
            finally
            {
                Interlocked.Decrement(ref server._inFlight);
            }
        });
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Urls.Single().TrimEnd('/') + "/api/rest/v1");
        return server;
    }

    /// <summary>A client of this server with fast retries, so tests of retries take milliseconds.</summary>
    public QticketsClient Client(int maxConcurrency = 4, TimeSpan? timeout = null, List<string>? log = null, TimeProvider? time = null,
        Action<string>? onLog = null) =>
        QticketsSource.Create(new QticketsClientOptions
        {
            BaseUrl = BaseUrl,
            Token = Token,
            MaxConcurrency = maxConcurrency,
            RequestTimeout = timeout ?? TimeSpan.FromSeconds(10),
            RetryBaseDelay = TimeSpan.FromMilliseconds(5),
            RetryMaxDelay = TimeSpan.FromMilliseconds(20),
        }, TestLogs.Into(log ?? [], onLog), time: time);

    public static Task Json(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json);
    }

    /// <summary>A list page in the API's envelope, of minimal items that read both as orders and as events.</summary>
    public static Task Page(HttpContext context, IEnumerable<long> ids, int currentPage, int perPage, long total) =>
        Json(context, new JsonObject
        {
            ["data"] = new JsonArray(ids.Select(id => (JsonNode)new JsonObject
            {
                ["id"] = id,
                ["name"] = $"item {id}",
                ["event_id"] = 1,
                ["payed"] = 1,
                ["created_at"] = "2025-11-01T10:00:00+03:00",
                ["updated_at"] = "2025-11-01T10:00:00+03:00",
            }).ToArray()),
            ["paging"] = new JsonObject { ["perPage"] = perPage, ["currentPage"] = currentPage, ["total"] = total },
        }.ToJsonString());

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

internal sealed record ReceivedRequest(string Method, string Path, string Authorization, JsonNode? Body)
{
    public int Page => Body?["page"]?.GetValue<int>() ?? 1;
}
