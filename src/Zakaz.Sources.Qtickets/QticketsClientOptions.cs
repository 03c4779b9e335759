using Zakaz.Configuration;

namespace Zakaz.Sources.Qtickets;

/// <summary>How <see cref="QticketsClient"/> reaches the API and how hard it tries (spec §1).</summary>
public sealed class QticketsClientOptions
{
    public Uri BaseUrl { get; init; } = new("https://qtickets.ru/api/rest/v1");

    /// <summary>The organiser-wide bearer token; a secret, only ever logged as <see cref="QticketsClient.TokenFingerprint"/>.</summary>
    public required string Token { get; init; }

    /// <summary>Requests in flight at once across all calls of one client.</summary>
    public int MaxConcurrency { get; init; } = 4;

    /// <summary>Limit for one attempt, from sending the request to reading the last byte of the answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The backoff before the second attempt; it doubles for each later one (full jitter).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a 429's <c>Retry-After</c> may make a request wait.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Receives retries and skipped resources, one line each; never bodies or the token.</summary>
    public Action<string>? Log { get; init; }

    /// <summary>The client settings for the configured API; fails when no token is configured.</summary>
    public static QticketsClientOptions FromConfiguration(QticketsOptions options, Action<string>? log = null)
    {
        if (string.IsNullOrWhiteSpace(options.Token))
        {
            throw new ConfigurationException("The Qtickets token is not set: set QTICKETS_TOKEN (Qtickets:Token).");
        }
        return new QticketsClientOptions { BaseUrl = options.BaseUrl, Token = options.Token, Log = log };
    }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Token);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
    }
}
