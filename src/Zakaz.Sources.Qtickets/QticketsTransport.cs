using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.Qtickets;

/// <summary>One read-only call: a GET of a method path, with a JSON body for list and seat calls.</summary>
internal sealed record QticketsCall(string Path, JsonObject? Body = null, int? Page = null)
{
    public override string ToString() => Page is { } page ? $"GET {Path} page {page}" : $"GET {Path}";
}

/// <summary>
/// Sends calls to the API (spec §1, §5) through the client's resilience pipeline (<see cref="SourceResilience"/>:
/// the bound on requests in flight, the limit per attempt, the retries, one more try of a 200 whose body is
/// not JSON) and turns what comes back into typed errors that never carry the token.
/// </summary>
internal sealed class QticketsTransport(HttpClient http, QticketsClientOptions options)
{
    public const string Source = "Qtickets";

    private readonly string _root = options.BaseUrl.AbsoluteUri.TrimEnd('/');

    public string TokenFingerprint => QticketsSecrets.Fingerprint(options.Token);

    public async Task<T> SendAsync<T>(QticketsCall call, Func<Stream, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        using var response = await SourceResilience.SendAsync(http, CreateRequest(call), Source, call.ToString(),
            (message, e) => e is MalformedJsonException ? new QticketsResponseException(message, e) : new QticketsException(message, e), cancellationToken);
        if (!response.IsSuccessStatusCode || !SourceResilience.IsJson(response.Content.Headers.ContentType))
        {
            throw await ReadErrorAsync(options, response, call.ToString(), cancellationToken);
        }
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await read(body, cancellationToken);
        }
        catch (JsonException e)
        {
            throw new QticketsResponseException($"Qtickets {call}: the 200 answer is empty or not valid JSON ({e.Message})", e);
        }
    }

    private HttpRequestMessage CreateRequest(QticketsCall call)
    {
        // GET with a body is how the API takes list parameters (spec §2.1); .NET sends it as is.
        var request = new HttpRequestMessage(HttpMethod.Get, _root + call.Path) { Content = call.Body is null ? null : JsonContent.Create(call.Body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        return request;
    }

    /// <summary>
    /// The error an answer stands for: the vendor's <c>{error, status, code, info}</c> when the body is
    /// JSON, otherwise the content type and a redacted excerpt (an HTML "page not found" is a wrong path).
    /// </summary>
    internal static async Task<Exception> ReadErrorAsync(QticketsClientOptions options, HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var path = call.Split(' ')[1];
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var body = await SourceResilience.ReadPrefixAsync(response.Content, cancellationToken);
        var json = SourceResilience.IsJson(response.Content.Headers.ContentType);
        if (json && TryReadVendorError(body) is var (code, error))
        {
            var message = error is null ? null : QticketsSecrets.Excerpt(error, options.Token);
            var detail = string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
            return new QticketsApiException($"Qtickets {call} failed with HTTP {status}{(detail.Length > 0 ? " " + detail : "")}", status, path, code, message);
        }
        var excerpt = QticketsSecrets.Excerpt(body, options.Token);
        var what = json ? $"an unreadable {contentType ?? "untyped"} body" : $"{contentType} instead of JSON";
        var hint = status == 404 ? " (no such route: check the base URL and the path)" : "";
        return new QticketsHttpException($"Qtickets {call} answered HTTP {status} with {what}{hint}: {excerpt}", status, path, contentType, excerpt);
    }

    private static (string? Code, string? Message)? TryReadVendorError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object ? (LooseText(root, "code"), LooseText(root, "error") ?? LooseText(root, "message")) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? LooseText(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;
}
