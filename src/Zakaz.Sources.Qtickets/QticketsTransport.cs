using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.Qtickets;

/// <summary>One read-only call: a GET of a method path, with a JSON body for list and seat calls.</summary>
internal sealed record QticketsCall(string Path, JsonObject? Body = null, int? Page = null)
{
    public override string ToString() => Page is { } page ? $"GET {Path} page {page}" : $"GET {Path}";
}

/// <summary>
/// Sends calls to the API (spec §1, §5): a bounded number in flight, a limit per attempt, retries
/// with exponential backoff and full jitter on network errors, time-outs, 5xx and 429 (honouring
/// Retry-After), one retry of a 200 whose body is not JSON, and typed errors that never carry the token.
/// </summary>
internal sealed class QticketsTransport : IDisposable
{
    private readonly QticketsClientOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _inFlight;
    private readonly string _root;

    public QticketsTransport(QticketsClientOptions options, HttpMessageHandler? handler)
    {
        options.Validate();
        _options = options;
        _inFlight = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        _root = options.BaseUrl.AbsoluteUri.TrimEnd('/');
        _http = new HttpClient(handler ?? new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        }, disposeHandler: handler is null)
        {
            // Each attempt has its own limit that also covers reading the body.
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Zakaz", "1.0"));
    }

    public string TokenFingerprint => QticketsSecrets.Fingerprint(_options.Token);

    /// <summary>Sends the call until <paramref name="read"/> returns from a successful answer's body, or fails for good.</summary>
    public async Task<T> SendAsync<T>(QticketsCall call, Func<Stream, CancellationToken, ValueTask<T>> read, CancellationToken cancellationToken)
    {
        var invalidJsonSeen = false;
        for (var attempt = 1; ; attempt++)
        {
            QticketsException failure;
            TimeSpan? retryAfter = null;
            await _inFlight.WaitAsync(cancellationToken);
            try
            {
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(_options.RequestTimeout);
                try
                {
                    using var request = CreateRequest(call);
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        var error = await ReadErrorAsync(call, response, limit.Token);
                        if (!HttpRetry.IsRetryable(response.StatusCode))
                        {
                            throw error;
                        }
                        failure = error;
                        retryAfter = HttpRetry.RetryAfter(response, _options.MaxRetryAfter);
                    }
                    else if (!IsJson(response.Content.Headers.ContentType))
                    {
                        throw await ReadErrorAsync(call, response, limit.Token);
                    }
                    else
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
                        try
                        {
                            return await read(body, limit.Token);
                        }
                        catch (JsonException e)
                        {
                            failure = new QticketsResponseException($"Qtickets {call}: the 200 answer is empty or not valid JSON ({e.Message})", e);
                            if (invalidJsonSeen)
                            {
                                throw failure;
                            }
                            invalidJsonSeen = true;
                        }
                    }
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new QticketsException($"Qtickets {call}: no complete answer within {_options.RequestTimeout.TotalSeconds:0.#} s", e);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    failure = new QticketsException($"Qtickets {call}: {e.Message}", e);
                }
            }
            finally
            {
                _inFlight.Release();
            }

            if (attempt >= _options.MaxAttempts)
            {
                throw failure;
            }
            var delay = retryAfter ?? HttpRetry.JitteredBackoff(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay);
            _options.Log?.Invoke($"{failure.Message}; attempt {attempt + 1} of {_options.MaxAttempts} in {delay.TotalSeconds:0.0} s");
            await Task.Delay(delay, cancellationToken);
        }
    }

    private HttpRequestMessage CreateRequest(QticketsCall call)
    {
        // GET with a body is how the API takes list parameters (spec §2.1); .NET sends it as is.
        var request = new HttpRequestMessage(HttpMethod.Get, _root + call.Path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.Token);
        if (call.Body is not null)
        {
            request.Content = JsonContent.Create(call.Body);
        }
        return request;
    }

    private static bool IsJson(MediaTypeHeaderValue? contentType) =>
        contentType?.MediaType is not { } media || media.Contains("json", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The error an answer stands for: the vendor's <c>{error, status, code, info}</c> when the body is
    /// JSON, otherwise the content type and a redacted excerpt (an HTML "page not found" is a wrong path).
    /// </summary>
    private async Task<QticketsApiException> ReadErrorAsync(QticketsCall call, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var contentType = response.Content.Headers.ContentType?.MediaType;
        var body = await HttpRetry.ReadPrefixAsync(response.Content, cancellationToken);
        var json = IsJson(response.Content.Headers.ContentType);
        if (json && TryReadVendorError(body) is var (code, error))
        {
            var message = error is null ? null : QticketsSecrets.Excerpt(error, _options.Token);
            var detail = string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
            return new QticketsApiException($"Qtickets {call} failed with HTTP {status}{(detail.Length > 0 ? " " + detail : "")}", status, call.Path, code, message);
        }
        var excerpt = QticketsSecrets.Excerpt(body, _options.Token);
        var what = json ? $"an unreadable {contentType ?? "untyped"} body" : $"{contentType} instead of JSON";
        var hint = status == 404 ? " (no such route: check the base URL and the path)" : "";
        return new QticketsHttpException($"Qtickets {call} answered HTTP {status} with {what}{hint}: {excerpt}", status, call.Path, contentType, excerpt);
    }

    private static (string? Code, string? Message)? TryReadVendorError(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }
            return (LooseText(root, "code"), LooseText(root, "error") ?? LooseText(root, "message"));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? LooseText(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number ? value.ToString() : null;

    public void Dispose()
    {
        _http.Dispose();
        _inFlight.Dispose();
    }
}
