using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;

namespace Zakaz.Sources.Qtickets;

/// <summary>
/// The Qtickets REST v1 API (spec §1–§5), read-only. List calls page through the
/// <c>{data, paging}</c> envelope: page 1 first, then the remaining pages concurrently (bounded by
/// <see cref="QticketsClientOptions.MaxConcurrency"/>), yielded in page order, each item once.
/// </summary>
/// <param name="http">The client of <see cref="QticketsSource.AddQticketsSource"/>, with the shared resilience pipeline.</param>
public sealed class QticketsClient(HttpClient http, QticketsClientOptions options, ILogger<QticketsClient> logger) : IQticketsSource, IDisposable
{
    private static readonly JsonObject SeatsBody = new()
    {
        ["select"] = new JsonArray("id", "zone_id", "admission", "max_quantity", "free_quantity", "available", "disabled"),
        ["flat"] = true,
    };

    private static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        Converters =
        {
            new EntityConverter<QticketsOrder>(QticketsOrder.FromJson),
            new EntityConverter<QticketsEvent>(QticketsEvent.FromJson),
            new EntityConverter<QticketsDiscount>(QticketsDiscount.FromJson),
            new EntityConverter<QticketsPromoCode>(QticketsPromoCode.FromJson),
        },
    };

    private readonly QticketsTransport _transport = new(http, options);
    private IDisposable? _services;

    /// <summary>A client that answers from recorded responses in <paramref name="directory"/> (see <see cref="QticketsFixtureHandler"/>).</summary>
    public static QticketsClient ForFixtures(string directory, ILoggerFactory? loggers = null) =>
        QticketsSource.Create(new QticketsClientOptions { BaseUrl = QticketsFixtureHandler.BaseUrl, Token = "fixtures" }, loggers, new QticketsFixtureHandler(directory));

    /// <summary>Identifies the token in logs without revealing it.</summary>
    public string TokenFingerprint => _transport.TokenFingerprint;

    /// <summary>The container of a client made by <see cref="QticketsSource.Create"/>, released with it.</summary>
    internal void OwnServices(IDisposable services) => _services = services;

    public IAsyncEnumerable<QticketsPage<QticketsOrder>> ListOrderPagesAsync(OrderListRequest request, CancellationToken cancellationToken = default) =>
        ListPagesAsync<QticketsOrder>("/orders", request.ToBody, o => o.Id, cancellationToken);

    public IAsyncEnumerable<QticketsOrder> ListOrdersAsync(OrderListRequest request, CancellationToken cancellationToken = default) =>
        ListOrderPagesAsync(request, cancellationToken).SelectMany(page => page.Items);

    public async Task<QticketsPage<QticketsOrder>> GetOrderPageAsync(OrderListRequest request, int page, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        var fetched = await FetchPageAsync<QticketsOrder>(new QticketsCall("/orders", request.ToBody(page), page), cancellationToken);
        return new QticketsPage<QticketsOrder>(page, fetched.PerPage, fetched.Total, fetched.Items);
    }

    public async Task<QticketsOrder?> GetOrderAsync(long orderId, CancellationToken cancellationToken = default)
    {
        try
        {
            return await FetchItemAsync<QticketsOrder>(new QticketsCall($"/orders/{orderId}"), cancellationToken)
                ?? throw new QticketsResponseException($"Qtickets GET /orders/{orderId}: the answer has no order in 'data'");
        }
        catch (QticketsApiException e) when (e.IsResourceNotFound)
        {
            logger.LogInformation("Qtickets order {OrderId} not found; skipped", orderId);
            return null;
        }
    }

    // No deleted_at filter: deleted events are kept, flagged, because old orders refer to them.
    public IAsyncEnumerable<QticketsEvent> ListEventsAsync(CancellationToken cancellationToken = default) =>
        ListPagesAsync<QticketsEvent>("/events", PageOnly, e => e.Id, cancellationToken).SelectMany(page => page.Items);

    public async Task<ShowInventory?> GetShowSeatsAsync(long showId, CancellationToken cancellationToken = default) =>
        ShowInventory.FromSeats(await FetchItemAsync<JsonElement>(new QticketsCall($"/shows/{showId}/seats", SeatsBody), cancellationToken));

    public Task<OptionalResource<QticketsDiscount>> ListDiscountsAsync(CancellationToken cancellationToken = default) =>
        ListOptionalAsync<QticketsDiscount>("/discounts", d => d.Id, cancellationToken);

    public Task<OptionalResource<QticketsPromoCode>> ListPromoCodesAsync(CancellationToken cancellationToken = default) =>
        ListOptionalAsync<QticketsPromoCode>("/promo-codes", p => p.Id, cancellationToken);

    public void Dispose() => Interlocked.Exchange(ref _services, null)?.Dispose();

    private static JsonObject PageOnly(int page) => new() { ["page"] = page };

    /// <summary>
    /// The paging loop of spec §2.2. Stops on an empty page or when <c>currentPage*perPage ≥ total</c>;
    /// never asks beyond <c>ceil(total/perPage)+2</c> pages; a page that comes back as another page
    /// number, or with exactly the items of an earlier page, means the API ignored <c>page</c>.
    /// </summary>
    private async IAsyncEnumerable<QticketsPage<T>> ListPagesAsync<T>(
        string path, Func<int, JsonObject> body, Func<T, long> idOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var seen = new HashSet<long>();
        var signatures = new HashSet<(long First, long Last, int Count)>();

        QticketsPage<T> Accept(FetchedPage<T> page)
        {
            if (page.Items.Count > 0 && !signatures.Add((idOf(page.Items[0]), idOf(page.Items[^1]), page.Items.Count)))
            {
                throw new QticketsResponseException($"Qtickets GET {path} page {page.Number} repeats an earlier page: the API ignored 'page'");
            }
            return new QticketsPage<T>(page.Number, page.PerPage, page.Total, page.Items.Where(item => seen.Add(idOf(item))).ToArray());
        }

        var first = await FetchPageAsync<T>(new QticketsCall(path, body(1), 1), cancellationToken);
        yield return Accept(first);
        if (first.IsLast)
        {
            yield break;
        }

        var perPage = first.PerPage;
        var cap = PageCount(first.Total, perPage) + 2;
        var last = PageCount(first.Total, perPage);
        // More pages than requests in flight are started, so a slow page does not idle the other
        // slots; the transport holds the surplus until a slot frees, the order of yields waits for it.
        var lookAhead = options.MaxConcurrency * 2;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pending = new Queue<Task<FetchedPage<T>>>();
        var next = 2;
        try
        {
            for (var expected = 2; expected <= last; expected++)
            {
                for (; next <= last && pending.Count < lookAhead; next++)
                {
                    pending.Enqueue(FetchPageAsync<T>(new QticketsCall(path, body(next), next), stop.Token));
                }
                var page = await pending.Dequeue();
                if (page.Items.Count == 0)
                {
                    yield break;
                }
                yield return Accept(page);
                if (page.IsLast)
                {
                    yield break;
                }
                // total grows while paging (new orders); follow it, within the cap.
                last = Math.Min(cap, Math.Max(last, PageCount(page.Total, perPage)));
            }
        }
        finally
        {
            await stop.CancelAsync();
            // Pages nobody will read: their failure (mostly the cancellation itself) does not matter.
            await ((Task)Task.WhenAll(pending)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    private static int PageCount(long total, int perPage) =>
        perPage <= 0 ? 1 : (int)Math.Min(int.MaxValue - 2, (total + perPage - 1) / perPage);

    private Task<FetchedPage<T>> FetchPageAsync<T>(QticketsCall call, CancellationToken cancellationToken) =>
        _transport.SendAsync(call, async (stream, token) =>
        {
            var envelope = await JsonSerializer.DeserializeAsync<PageEnvelope<T>>(stream, Json, token)
                ?? throw new JsonException("the body is JSON null");
            var page = call.Page!.Value;
            if (envelope.Paging?.CurrentPage is { } reported && reported != page)
            {
                throw new QticketsResponseException($"Qtickets {call} came back as page {reported}: the API ignored 'page'");
            }
            return new FetchedPage<T>(page, envelope.Paging, envelope.Data ?? []);
        }, cancellationToken);

    private Task<T?> FetchItemAsync<T>(QticketsCall call, CancellationToken cancellationToken) =>
        _transport.SendAsync(call, async (stream, token) =>
        {
            var envelope = await JsonSerializer.DeserializeAsync<ItemEnvelope<T>>(stream, Json, token)
                ?? throw new JsonException("the body is JSON null");
            return envelope.Data;
        }, cancellationToken);

    private async Task<OptionalResource<T>> ListOptionalAsync<T>(string path, Func<T, long> idOf, CancellationToken cancellationToken)
    {
        try
        {
            var items = new List<T>();
            await foreach (var page in ListPagesAsync(path, PageOnly, idOf, cancellationToken))
            {
                items.AddRange(page.Items);
            }
            return new OptionalResource<T>(items, null);
        }
        catch (QticketsApiException e) when (e.StatusCode is 401 or 403 or 404)
        {
            logger.LogInformation("Qtickets {Path} skipped (optional resource): {Reason}", path, e.Message);
            return new OptionalResource<T>([], e.Message);
        }
    }

    private sealed record FetchedPage<T>(int Number, PagingInfo? Paging, List<T> Items)
    {
        public int PerPage => Paging?.PerPage ?? Items.Count;

        public long Total => Paging?.Total ?? Items.Count;

        /// <summary>No paging block means the list was not paged: this page is all of it.</summary>
        public bool IsLast => Items.Count == 0 || Paging is null || (long)Number * PerPage >= Total;
    }

    // The envelope's names (data, paging, perPage, currentPage, total) are these in camelCase.
    private sealed record PageEnvelope<T>(List<T>? Data, PagingInfo? Paging);

    private sealed record ItemEnvelope<T>(T? Data);

    private sealed record PagingInfo(int PerPage, int? CurrentPage, long Total);

    /// <summary>Reads an entity through its tolerant <c>FromJson</c>; each value is parsed once, as an element.</summary>
    private sealed class EntityConverter<T>(Func<JsonElement, T> read) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            read(JsonElement.ParseValue(ref reader));

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            throw new NotSupportedException("Qtickets entities are read-only.");
    }
}
