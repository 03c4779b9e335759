using Microsoft.Extensions.Logging;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.VkAds;

/// <summary>
/// The platform's live rate limits (spec §4) as one client meets them: at most min(<c>X-RateLimit-RPS-Limit</c>, the
/// configured cap) requests per calendar second, a pause to the next second when the RPS remainder is 0, a warning
/// when the hourly or daily remainder is 0. The pipeline lets one request through at a time, so this is never raced.
/// </summary>
public sealed class VkAdsRateLimits(VkAdsClientOptions options, TimeProvider time, ILogger<VkAdsClient> logger)
{
    private long _second;
    private int _sentThisSecond;
    private int _rpsLimit = options.MaxRequestsPerSecond;
    private int _requests;

    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Waits for the next calendar second once this one's share of requests is spent.</summary>
    internal async Task PaceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        if (now / 1000 != _second)
        {
            _second = now / 1000;
            _sentThisSecond = 0;
        }
        if (_sentThisSecond >= Math.Min(_rpsLimit, options.MaxRequestsPerSecond))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1000 - now % 1000), time, cancellationToken);
            _second = time.GetUtcNow().ToUnixTimeMilliseconds() / 1000;
            _sentThisSecond = 0;
        }
        _sentThisSecond++;
        Interlocked.Increment(ref _requests);
    }

    internal void Observe(string what, HttpResponseMessage response)
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
            logger.LogWarning("VK Ads {Request}: the daily request limit is spent; the next request will be refused until tomorrow", what);
        }
        if (Header(response, "X-RateLimit-Hourly-Remaining") is 0 && response.IsSuccessStatusCode)
        {
            logger.LogWarning("VK Ads {Request}: the hourly request limit is spent; the next request will be refused until the top of the hour", what);
        }
    }

    private static int? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) &&
        int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : null;
}

/// <summary>Applies <see cref="VkAdsRateLimits"/> to every attempt, inside the shared pipeline's retries.</summary>
internal sealed class VkAdsRateLimitHandler(VkAdsRateLimits limits) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await limits.PaceAsync(cancellationToken);
        var response = await base.SendAsync(request, cancellationToken);
        limits.Observe(request.Options.TryGetValue(SourceResilience.Operation, out var what) ? what : request.RequestUri?.AbsolutePath ?? "", response);
        return response;
    }
}
