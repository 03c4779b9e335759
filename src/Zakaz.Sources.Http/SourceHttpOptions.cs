namespace Zakaz.Sources.Http;

/// <summary>How hard a source's calls try: the settings of the retry design every source shares (<see cref="SourceResilience"/>).</summary>
public abstract class SourceHttpOptions
{
    /// <summary>Limit for one attempt, from sending the request to reading the last byte of the answer.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Limit for one call, every attempt and wait included.</summary>
    public TimeSpan TotalTimeout { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The backoff before the second attempt; it doubles for each later one, jittered.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The longest a 429's <c>Retry-After</c> may make a request wait.</summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Requests in flight at once across all calls of one client.</summary>
    public int MaxConcurrency { get; init; } = 4;

    protected void ValidateRetries()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxConcurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(TotalTimeout, TimeSpan.Zero);
    }
}
