using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Http;

namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// The REST v1 routes under <c>/api/rest/v1</c>, answering as the real API does (spec §2, §3, §5): GET with a JSON
/// body, Bearer token, paged envelopes, vendor JSON errors, and an HTML page for unknown routes.
/// </summary>
internal sealed class QticketsApi(TicketOffice office, QticketsFaults faults, string token)
{
    public const string BasePath = "/api/rest/v1";
    public const int OrdersPerPage = 50;
    public const int EventsPerPage = 10;
    public const int DiscountsPerPage = 100;
    public const int PromoCodesPerPage = 500;

    private const int MaxBodyBytes = 1 << 20;

    public async Task HandleAsync(HttpContext context)
    {
        (string Name, int Id)? route = Match(context.Request.Path.Value ?? "");
        if (route is not { } known)
        {
            await Reply.HtmlNotFound.WriteAsync(context);
            return;
        }
        (TimeSpan delay, QticketsFaultKind? fault) = faults.Arrive(known.Name);
        try
        {
            if (delay > TimeSpan.Zero)
            {
                await Task.Delay(delay, context.RequestAborted);
            }
            Reply reply = fault switch
            {
                QticketsFaultKind.ServiceUnavailable => Reply.UnknownError,
                QticketsFaultKind.InternalServerError => Reply.ServerError,
                QticketsFaultKind.BadGateway => Reply.BadGateway,
                QticketsFaultKind.TooManyRequests => Reply.TooManyRequests(faults.RetryAfter),
                QticketsFaultKind.HtmlNotFound => Reply.HtmlNotFound,
                QticketsFaultKind.DropConnection => default,
                _ => await AnswerAsync(context, known.Name, known.Id),
            };
            switch (fault)
            {
                case QticketsFaultKind.DropConnection:
                    context.Abort();
                    return;
                case QticketsFaultKind.SlowResponse:
                    await Task.Delay(faults.SlowResponseDelay, context.RequestAborted);
                    break;
                case QticketsFaultKind.MalformedJson:
                    reply = new Reply(200, Reply.Json, reply.Body[..(reply.Body.Length / 2)]);
                    break;
                case QticketsFaultKind.EmptyBody:
                    reply = new Reply(200, Reply.Json, ReadOnlyMemory<byte>.Empty);
                    break;
            }
            await reply.WriteAsync(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client gave up (its timeout during a slow answer): nothing left to answer.
        }
    }

    private async Task<Reply> AnswerAsync(HttpContext context, string route, int id)
    {
        HttpRequest request = context.Request;
        // The real API answers POST /orders and a query-string where with 503; it is read-only for us anyway.
        if (!HttpMethods.IsGet(request.Method) || request.Query.Keys.Any(k => k.StartsWith("where", StringComparison.Ordinal)))
        {
            return Reply.UnknownError;
        }
        if (request.Headers.Authorization.ToString() != "Bearer " + token)
        {
            return Reply.Forbidden;
        }
        try
        {
            JsonElement? body = await ReadBodyAsync(request, context.RequestAborted);
            return route switch
            {
                "orders" => Orders(ListQuery.Parse(body, filters: !faults.IgnoreFilters)),
                "orders/{id}" => Order(id),
                "events" => Page(EventsPerPage, ListQuery.Parse(body, filters: false).Page, office.Events,
                    (writer, e) => QticketsJson.WriteEvent(writer, e)),
                "events/{id}" => Event(id),
                "shows/{id}/seats" => Seats(id, body),
                "discounts" => Page(DiscountsPerPage, ListQuery.Parse(body, filters: false).Page, office.Discounts,
                    (writer, d) => QticketsJson.WriteDiscount(writer, office, d)),
                "discounts/{id}" => Discount(id, request.Path.Value!),
                "promo-codes" => Page(PromoCodesPerPage, ListQuery.Parse(body, filters: false).Page, office.PromoCodes,
                    (writer, p) => QticketsJson.WritePromoCode(writer, office, p)),
                _ => ColorThemes(),
            };
        }
        catch (MalformedRequestException)
        {
            return Reply.UnknownError;
        }
    }

    /// <summary>
    /// A page of orders: ascending id by default, <c>orderBy {id:"desc"}</c> reverses (<c>updated_at</c>
    /// sorts by the last change), <c>where</c> filters; both
    /// are skipped when <see cref="QticketsFaults.IgnoreFilters"/> is on, as the real API may do.
    /// </summary>
    private Reply Orders(ListQuery query) => office.Read(o =>
    {
        ReadOnlySpan<OrderRow> orders = CollectionsMarshal.AsSpan(o.Orders);
        IReadOnlyList<Func<TicketOffice, OrderRow, bool>> conditions = query.Conditions;
        bool descending = query.Descending;
        long skip = (long)(query.Page - 1) * OrdersPerPage;
        var page = new List<int>(OrdersPerPage);
        int total = 0;
        if (query.SortKey is { } key)
        {
            // A time that changes after creation: sort the matches by it, ties by id in the same direction.
            var matches = new List<int>();
            for (int i = 0; i < orders.Length; i++)
            {
                if (Matches(conditions, o, orders[i]))
                {
                    matches.Add(i);
                }
            }
            List<OrderRow> all = o.Orders;
            matches.Sort((a, b) => (descending ? -1 : 1) * (key(all[a]), all[a].Id).CompareTo((key(all[b]), all[b].Id)));
            total = matches.Count;
            page.AddRange(matches.Skip((int)Math.Min(skip, total)).Take(OrdersPerPage));
        }
        else if (conditions.Count == 0)
        {
            total = orders.Length;
            for (int i = (int)Math.Min(skip, total); i < Math.Min(total, skip + OrdersPerPage); i++)
            {
                page.Add(descending ? total - 1 - i : i);
            }
        }
        else
        {
            for (int n = 0; n < orders.Length; n++)
            {
                int i = descending ? orders.Length - 1 - n : n;
                if (Matches(conditions, o, orders[i]))
                {
                    if (total >= skip && page.Count < OrdersPerPage)
                    {
                        page.Add(i);
                    }
                    total++;
                }
            }
        }
        return Reply.Render(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            foreach (int i in page)
            {
                QticketsJson.WriteOrder(writer, o, o.Orders[i]);
            }
            writer.WriteEndArray();
            WritePaging(writer, OrdersPerPage, query.Page, total);
            writer.WriteEndObject();
        });
    });

    private static bool Matches(IReadOnlyList<Func<TicketOffice, OrderRow, bool>> conditions, TicketOffice office,
        in OrderRow order)
    {
        foreach (Func<TicketOffice, OrderRow, bool> condition in conditions)
        {
            if (!condition(office, order))
            {
                return false;
            }
        }
        return true;
    }

    private Reply Order(int id) => office.Read(o => o.FindOrder(id) is { } index
        ? Data(writer => QticketsJson.WriteOrder(writer, o, o.Orders[index]))
        : Reply.ResourceNotFound("Order", id));

    private Reply Discount(int id, string path) => office.Discounts.FirstOrDefault(d => d.Id == id) is { } discount
        ? Data(writer => QticketsJson.WriteDiscount(writer, office, discount))
        : Reply.ResourceNotFound("Discount", id >= 0 ? id : path[(path.LastIndexOf('/') + 1)..]);

    private Reply Event(int id) => office.FindEvent(id) is { } index
        ? Data(writer => QticketsJson.WriteEvent(writer, office.Events[index]))
        : Reply.ResourceNotFound("Event", id);

    /// <summary>
    /// <c>flat:true</c> gives the flat shape with counts; a <c>select</c> without it the zones shape with counts; no
    /// body (or neither key) the real default, zones without counts.
    /// </summary>
    private Reply Seats(int showId, JsonElement? body)
    {
        if (office.FindShow(showId) is not { } index)
        {
            return Reply.ResourceNotFound("Show", showId);
        }
        bool flat = false;
        bool counts = false;
        if (body is { ValueKind: JsonValueKind.Object } request)
        {
            flat = request.TryGetProperty("flat", out JsonElement flatValue) &&
                (flatValue.ValueKind == JsonValueKind.True || flatValue.ValueKind == JsonValueKind.Number && flatValue.GetDouble() != 0);
            counts = flat || request.TryGetProperty("select", out _);
        }
        PromoterShow show = office.Shows[index];
        return office.Read(_ => Data(flat
            ? writer => QticketsJson.WriteSeatsFlat(writer, show)
            : writer => QticketsJson.WriteSeatsByZone(writer, show, counts)));
    }

    /// <summary>The envelope of an item route: <c>{"data": item}</c>.</summary>
    private static Reply Data(Action<Utf8JsonWriter> write) => Reply.Render(writer =>
    {
        writer.WriteStartObject();
        writer.WritePropertyName("data");
        write(writer);
        writer.WriteEndObject();
    });

    private static Reply ColorThemes() => Reply.Render(writer =>
        JsonSerializer.Serialize(writer, new { data = Catalog.ColorThemes.Select((color, i) => new { id = i + 1, color }) }));

    private static Reply Page<T>(int perPage, int page, IReadOnlyList<T> items, Action<Utf8JsonWriter, T> write) =>
        Reply.Render(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("data");
            long first = (long)(page - 1) * perPage;
            for (long i = first; i < Math.Min(items.Count, first + perPage); i++)
            {
                write(writer, items[(int)i]);
            }
            writer.WriteEndArray();
            WritePaging(writer, perPage, page, items.Count);
            writer.WriteEndObject();
        });

    private static void WritePaging(Utf8JsonWriter writer, int perPage, int page, int total)
    {
        writer.WriteStartObject("paging");
        writer.WriteNumber("perPage", perPage);
        writer.WriteNumber("currentPage", page);
        writer.WriteNumber("total", total);
        writer.WriteEndObject();
    }

    /// <summary>The body of a GET, or null when there is none; JSON the API cannot read is its 503.</summary>
    private static async Task<JsonElement?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        if (buffer.Length == 0)
        {
            return null;
        }
        if (buffer.Length > MaxBodyBytes)
        {
            throw new MalformedRequestException("The request body is too large.");
        }
        try
        {
            using JsonDocument document = JsonDocument.Parse(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw new MalformedRequestException("The request body is not JSON.");
        }
    }

    private static (string Name, int Id)? Match(string path)
    {
        if (!path.StartsWith(BasePath + "/", StringComparison.Ordinal))
        {
            return null;
        }
        string[] parts = path[(BasePath.Length + 1)..].Split('/');
        return parts switch
        {
            ["orders"] => ("orders", 0),
            ["orders", var id] when Id(id) is { } orderId => ("orders/{id}", orderId),
            ["events"] => ("events", 0),
            ["events", var id] when Id(id) is { } eventId => ("events/{id}", eventId),
            ["shows", var id, "seats"] when Id(id) is { } showId => ("shows/{id}/seats", showId),
            ["discounts"] => ("discounts", 0),
            // Any segment reaches the item route: /discounts/colors is a JSON 404 for Discount "colors".
            ["discounts", var id] => ("discounts/{id}", Id(id) ?? -1),
            ["promo-codes"] => ("promo-codes", 0),
            ["color-themes"] => ("color-themes", 0),
            _ => null,
        };
    }

    private static int? Id(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int id) ? id : null;
}

/// <summary>An answer: status, content type and body, rendered before anything is sent (faults may cut it).</summary>
internal readonly record struct Reply(int Status, string ContentType, ReadOnlyMemory<byte> Body)
{
    public const string Json = "application/json";
    public const string Html = "text/html; charset=UTF-8";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Reply Forbidden { get; } = JsonText(403, """{"error":"Forbidden","status":403}""");

    public static Reply UnknownError { get; } =
        JsonText(503, """{"error":"Unknown error","status":503,"code":"UNKNOWN_ERROR","info":[]}""");

    public static Reply ServerError { get; } = JsonText(500, """{"error":"Server Error","status":500}""");

    public static Reply BadGateway { get; } = new(502, Html, Encoding.UTF8.GetBytes(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n" +
        "<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"));

    public static Reply HtmlNotFound { get; } = new(404, Html, Encoding.UTF8.GetBytes(NotFoundPage));

    /// <summary>The site's "page not found", as unknown routes get it (the real one is about 12 KB).</summary>
    private const string NotFoundPage = """
        <!DOCTYPE html>
        <html lang="ru">
        <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Страница не найдена 404 – Qtickets</title>
            <link rel="icon" href="https://qtickets.ru/favicon.svg" type="image/svg+xml">
        </head>
        <body>
        <div class="error-page">
            <h1>404</h1>
            <p>Страница не найдена</p>
            <p>Возможно, она была удалена или вы ошиблись адресом.</p>
            <p><a href="https://qtickets.ru/">Перейти на главную</a></p>
        </div>
        </body>
        </html>

        """;

    public static Reply TooManyRequests(TimeSpan retryAfter) =>
        JsonText(429, """{"error":"Too Many Requests","status":429}""") with { RetryAfter = retryAfter };

    /// <summary>The vendor's 404 for an item route; <c>info.id</c> echoes the id as the path gave it.</summary>
    public static Reply ResourceNotFound(string resource, object id)
    {
        Reply reply = Render(writer => JsonSerializer.Serialize(writer, new
        {
            error = $"Resource \"{resource}\" not found",
            status = 404,
            code = "RESOURCE_NOT_FOUND",
            info = new { id, resource },
        }));
        return reply with { Status = 404 };
    }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>The pooled buffer holding <see cref="Body"/>, given back once the body is sent.</summary>
    private PooledBufferWriter? Buffer { get; init; }

    public static Reply Render(Action<Utf8JsonWriter> write)
    {
        var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }
        return new Reply(200, Json, buffer.WrittenMemory) { Buffer = buffer };
    }

    public static Reply JsonText(int status, string json) => new(status, Json, Encoding.UTF8.GetBytes(json));

    public async Task WriteAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        response.ContentLength = Body.Length;
        if (RetryAfter is { } retryAfter)
        {
            response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }
        try
        {
            await response.Body.WriteAsync(Body, context.RequestAborted);
        }
        finally
        {
            Buffer?.Return();
        }
    }
}
