using Microsoft.AspNetCore.Http;

namespace Zakaz.Sandbox.Qtickets;

/// <summary>
/// <c>/__sandbox/…</c>: what tests and the demo use from outside the process. <c>GET truth</c>; <c>GET|POST faults</c>
/// (see <see cref="QticketsFaults.Apply"/>); <c>POST refund</c> <c>{"order_id", "basket_id", "at"?}</c>;
/// <c>POST cancel</c> <c>{"order_id", "at"?}</c>; <c>POST orders</c> <c>{"count", "until"?}</c>. No token needed.
/// </summary>
internal sealed class SandboxControl(QticketsSandbox sandbox)
{
    public const string BasePath = "/__sandbox";

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        string route = (request.Path.Value ?? "")[BasePath.Length..];
        bool post = HttpMethods.IsPost(request.Method);
        Reply reply;
        try
        {
            using JsonDocument? body = post ? await ReadAsync(request, context.RequestAborted) : null;
            JsonElement input = body?.RootElement ?? default;
            reply = (route, post) switch
            {
                ("/truth", false) => Text(sandbox.Truth.ToJson()),
                ("/faults", false) => FaultState(),
                ("/faults", true) => Then(() => sandbox.Faults.Apply(input), FaultState),
                ("/refund", true) => Then(() => sandbox.RefundBasket(Long(input, "order_id"), Long(input, "basket_id"),
                    Time(input, "at")), Ok),
                ("/cancel", true) => Then(() => sandbox.CancelOrder(Long(input, "order_id"), Time(input, "at")), Ok),
                ("/orders", true) => AddedOrders(input),
                _ => Reply.JsonText(404, """{"error":"No such sandbox route: GET truth, GET/POST faults, POST refund, cancel, orders"}"""),
            };
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or KeyNotFoundException or
            JsonException or FormatException)
        {
            reply = BadRequest(e.Message);
        }
        await reply.WriteAsync(context);
    }

    private Reply FaultState() => Reply.Render(sandbox.Faults.WriteState);

    private Reply AddedOrders(JsonElement input)
    {
        DateTimeOffset? until = input.TryGetProperty("until", out JsonElement value) ? value.GetDateTimeOffset() : null;
        IReadOnlyList<long> ids = sandbox.AddOrders((int)Long(input, "count"), until);
        return Reply.Render(writer => JsonSerializer.Serialize(writer, new { ids }));
    }

    private static Reply BadRequest(string message) =>
        Reply.Render(writer => JsonSerializer.Serialize(writer, new { error = message })) with { Status = 400 };

    private static Reply Ok() => Reply.JsonText(200, """{"ok":true}""");

    private static Reply Text(string json) => Reply.JsonText(200, json);

    private static Reply Then(Action change, Func<Reply> answer)
    {
        change();
        return answer();
    }

    private DateTimeOffset Time(JsonElement input, string name) =>
        input.TryGetProperty(name, out JsonElement value) ? value.GetDateTimeOffset() : sandbox.NextChangeTime();

    private static long Long(JsonElement input, string name) => input.ValueKind == JsonValueKind.Object &&
        input.TryGetProperty(name, out JsonElement value)
            ? value.ValueKind == JsonValueKind.String
                ? long.Parse(value.GetString()!, CultureInfo.InvariantCulture)
                : value.GetInt64()
            : throw new ArgumentException($"'{name}' is required.");

    private static async Task<JsonDocument?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return buffer.Length == 0 ? null : JsonDocument.Parse(buffer.ToArray());
    }
}
