namespace Zakaz.Sandbox.Qtickets;

/// <summary>Settings for <see cref="QticketsSandbox.StartAsync"/>.</summary>
public sealed record QticketsSandboxOptions : PromoterSandboxOptions
{
    /// <summary>The Bearer token the API accepts; null means a random one.</summary>
    public string? Token { get; init; }

    /// <summary>Added to every API request; <see cref="QticketsFaults.SetLatency"/> changes it at run time.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>A random extra of up to this much per request.</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>Start with <see cref="QticketsFaults.IgnoreFilters"/> on.</summary>
    public bool IgnoreFilters { get; init; }
}
