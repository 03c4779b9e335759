using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.VkAds;

/// <summary>
/// Sends one request at a time (spec §4: sequential per token) within the platform's live rate limits:
/// at most min(<c>X-RateLimit-RPS-Limit</c>, the configured cap) per calendar second, a pause to the next
/// second when the RPS remainder is 0, a clear stop when the hourly or daily remainder is 0. 429 waits
/// for <c>Retry-After</c> or 1, 2, 4 … 60 s; 5xx, time-outs and resets get jittered backoff (the shared
/// <see cref="HttpRetry"/> design). Other errors come back as <see cref="VkAdsApiException"/> with the
/// platform's code, so the caller decides about 401 and ERR_LIMIT_EXCEEDED.
/// </summary>
internal sealed class VkAdsTransport : IDisposable
{
    private readonly VkAdsClientOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _sequential = new(1, 1);
    private readonly TimeProvider _time;
    private long _second;
    private int _sentThisSecond;
    private int _rpsLimit;

    public VkAdsTransport(VkAdsClientOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _rpsLimit = options.MaxRequestsPerSecond;
        _http = new HttpClient(new SocketsHttpHandler
        {
            AutomaticDecompression = DecompressionMethods.All,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(30),
        })
        {
            BaseAddress = new Uri(options.BaseUrl.GetLeftPart(UriPartial.Authority) + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Zakaz", "1.0"));
    }

    /// <summary>Requests sent, retries included.</summary>
    public int Requests { get; private set; }

    /// <summary>Sends <paramref name="create"/>'s request until an answer is read or the call fails for good.</summary>
    public async Task<T> SendAsync<T>(string what, Func<HttpRequestMessage> create, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        await _sequential.WaitAsync(cancellationToken);
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                VkAdsException failure;
                TimeSpan delay;
                await PaceAsync(cancellationToken);
                using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                limit.CancelAfter(_options.RequestTimeout);
                try
                {
                    using var request = create();
                    Requests++;
                    using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, limit.Token);
                    ObserveLimits(what, response);
                    if (response.IsSuccessStatusCode)
                    {
                        await using var body = await response.Content.ReadAsStreamAsync(limit.Token);
                        using var document = await JsonDocument.ParseAsync(body, cancellationToken: limit.Token);
                        try
                        {
                            return read(document.RootElement);
                        }
                        catch (VkAdsFormatException e)
                        {
                            throw new VkAdsFormatException($"VK Ads {what}: {e.Message}", e);
                        }
                    }
                    var error = await ErrorAsync(what, response, limit.Token);
                    if (!HttpRetry.IsRetryable(response.StatusCode))
                    {
                        throw error;
                    }
                    failure = error;
                    delay = response.StatusCode == HttpStatusCode.TooManyRequests
                        ? HttpRetry.RetryAfter(response, _options.MaxRetryAfter) ?? HttpRetry.Backoff(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay)
                        : HttpRetry.JitteredBackoff(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay);
                }
                catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = new VkAdsException($"VK Ads {what}: no complete answer within {_options.RequestTimeout.TotalSeconds:0.#} s", e);
                    delay = HttpRetry.JitteredBackoff(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay);
                }
                catch (Exception e) when (e is HttpRequestException or IOException)
                {
                    failure = new VkAdsException($"VK Ads {what}: {e.Message}", e);
                    delay = HttpRetry.JitteredBackoff(attempt, _options.RetryBaseDelay, _options.RetryMaxDelay);
                }
                catch (JsonException e)
                {
                    throw new VkAdsFormatException($"VK Ads {what}: the 200 answer is not valid JSON ({e.Message})", e);
                }
                if (attempt >= _options.MaxAttempts)
                {
                    throw failure;
                }
                _options.Log?.Invoke($"{failure.Message}; attempt {attempt + 1} of {_options.MaxAttempts} in {delay.TotalSeconds:0.0##} s");
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
        finally
        {
            _sequential.Release();
        }
    }

    /// <summary>Waits for the next calendar second once this one's share of requests is spent.</summary>
    private async Task PaceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now / 1000 != _second)
        {
            _second = now / 1000;
            _sentThisSecond = 0;
        }
        if (_sentThisSecond >= Math.Min(_rpsLimit, _options.MaxRequestsPerSecond))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000 - now % 1000), _time, cancellationToken);
            _second = _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000;
            _sentThisSecond = 0;
        }
        _sentThisSecond++;
    }

    private void ObserveLimits(string what, HttpResponseMessage response)
    {
        if (Header(response, "X-RateLimit-RPS-Limit") is { } rps && rps > 0)
        {
            _rpsLimit = rps;
        }
        if (Header(response, "X-RateLimit-RPS-Remaining") is 0)
        {
            // Spent for this second: the next request waits for the next one.
            _sentThisSecond = int.MaxValue;
        }
        if (Header(response, "X-RateLimit-Daily-Remaining") is 0 && response.IsSuccessStatusCode)
        {
            _options.Log?.Invoke($"VK Ads {what}: the daily request limit is spent; the next request will be refused until tomorrow");
        }
        if (Header(response, "X-RateLimit-Hourly-Remaining") is 0 && response.IsSuccessStatusCode)
        {
            _options.Log?.Invoke($"VK Ads {what}: the hourly request limit is spent; the next request will be refused until the top of the hour");
        }
    }

    private static int? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) &&
        int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;

    private static async Task<VkAdsApiException> ErrorAsync(string what, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await HttpRetry.ReadPrefixAsync(response.Content, cancellationToken);
        var (code, message) = VkAdsJson.Error(body);
        // The platform's code and message only: a body may echo what was sent, and bodies are not for logs.
        var detail = string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
        var text = $"VK Ads {what} failed with HTTP {status}{(detail.Length > 0 ? " " + detail : "")}";
        return new VkAdsApiException(text, status, code);
    }

    public void Dispose()
    {
        _http.Dispose();
        _sequential.Dispose();
    }
}
