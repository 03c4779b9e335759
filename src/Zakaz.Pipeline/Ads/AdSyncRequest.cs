namespace Zakaz.Pipeline.Ads;

/// <summary>What an ad platform's sync reads (<see cref="AdSyncWindow"/>), and whether it writes.</summary>
public sealed record AdSyncRequest
{
    /// <summary>First statistics day; unset: yesterday (Moscow) minus the lookback, or the day after the last synced one if earlier.</summary>
    public DateOnly? From { get; init; }

    /// <summary>Last statistics day; unset: yesterday in Moscow.</summary>
    public DateOnly? To { get; init; }

    /// <summary>Fetch and map for real, write nothing (no job row either).</summary>
    public bool DryRun { get; init; }
}
