using System.Net;
using System.Text;

namespace Zakaz.Sources.Http;

/// <summary>
/// The retry design every source connector shares: which answers are worth another attempt, how long
/// to wait before it (exponential backoff with full jitter, or the server's <c>Retry-After</c>), and how
/// much of an error body to keep.
/// </summary>
public static class HttpRetry
{
    private const int ErrorBodyBytes = 16 * 1024;

    /// <summary>429, 408 and every 5xx: the server may answer the same request later.</summary>
    public static bool IsRetryable(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    /// <summary>Full jitter: anywhere between zero and the doubled, capped delay, so retrying clients spread out.</summary>
    public static TimeSpan JitteredBackoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay) =>
        TimeSpan.FromMilliseconds(Ceiling(attempt, baseDelay, maxDelay) * Random.Shared.NextDouble());

    /// <summary>The plain doubling delay (1, 2, 4 … capped), for waits a platform documents as such.</summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay) =>
        TimeSpan.FromMilliseconds(Ceiling(attempt, baseDelay, maxDelay));

    /// <summary>The answer's <c>Retry-After</c> (seconds or a date), clamped to 0 … <paramref name="max"/>; null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeSpan max)
    {
        var header = response.Headers.RetryAfter;
        var wait = header?.Delta ?? (header?.Date is { } date ? date - DateTimeOffset.UtcNow : null);
        if (wait is not { } value)
        {
            return null;
        }
        return value < TimeSpan.Zero ? TimeSpan.Zero : value > max ? max : value;
    }

    /// <summary>The first 16 KiB of a body as UTF-8: enough for any error message, bounded whatever the server sends.</summary>
    public static async Task<string> ReadPrefixAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[ErrorBodyBytes];
        var length = 0;
        int read;
        while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
        {
            length += read;
        }
        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    private static double Ceiling(int attempt, TimeSpan baseDelay, TimeSpan maxDelay) =>
        Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
}
