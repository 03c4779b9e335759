namespace Zakaz.Sandbox;

/// <summary>What the Qtickets and VK Ads sandboxes share: the same seed, order count and anchor give the same promoter.</summary>
public abstract record PromoterSandboxOptions
{
    public int Seed { get; init; } = 1;

    /// <summary>Orders generated before the anchor (126,000 is about the real tenant's size).</summary>
    public int Orders { get; init; } = 20_000;

    /// <summary>"Now" for the generated history; null means the current minute (so the data moves with the clock).</summary>
    public DateTimeOffset? Anchor { get; init; }

    /// <summary>Loopback port; 0 picks a free one.</summary>
    public int Port { get; init; }

    internal DateTimeOffset AnchorOrNow() =>
        Anchor ?? DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
}
