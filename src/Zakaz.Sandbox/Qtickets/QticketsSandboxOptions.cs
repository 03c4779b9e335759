namespace Zakaz.Sandbox.Qtickets;

/// <summary>Settings for <see cref="QticketsSandbox.StartAsync"/>; the same seed and anchor give the same promoter.</summary>
public sealed record QticketsSandboxOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Orders generated before the anchor (126,000 is about the real tenant's size).</summary>
    public int Orders { get; init; } = 20_000;

    /// <summary>"Now" for the generated history; null means the current minute (so the data moves with the clock).</summary>
    public DateTimeOffset? Anchor { get; init; }

    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The Bearer token the API accepts; null means a random one.</summary>
    public string? Token { get; init; }

    /// <summary>Added to every API request; <see cref="QticketsFaults.SetLatency"/> changes it at run time.</summary>
    public TimeSpan Latency { get; init; }

    /// <summary>A random extra of up to this much per request.</summary>
    public TimeSpan LatencyJitter { get; init; }

    /// <summary>Start with <see cref="QticketsFaults.IgnoreFilters"/> on.</summary>
    public bool IgnoreFilters { get; init; }
}
