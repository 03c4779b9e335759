namespace Zakaz.Pipeline.Qtickets;

public sealed record QticketsSyncRequest
{
    /// <summary>
    /// Read orders changed since this instant instead of the watermark's window. Unset: the last
    /// successful run's start minus the lookback, or today minus the initial backfill on the first run.
    /// </summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>
    /// Re-read orders ignoring the watermark: every order of the events with a show ending in the future or within
    /// QTICKETS_RECONCILE_DAYS back, or of the last <see cref="Days"/> days, or every order (<see cref="AllOrders"/>).
    /// </summary>
    public bool Reconcile { get; init; }

    /// <summary>With <see cref="Reconcile"/>: re-read the orders changed in the last N days instead.</summary>
    public int? Days { get; init; }

    /// <summary>With <see cref="Reconcile"/>: re-read every order of every event (the weekly full reconcile).</summary>
    public bool AllOrders { get; init; }

    /// <summary>Fetch and transform for real, write nothing (no job row either).</summary>
    public bool DryRun { get; init; }

    /// <summary>What to read besides events and shows: orders (and their facts), inventory, or both.</summary>
    public QticketsStreams Streams { get; init; } = QticketsStreams.All;

    /// <summary>Seat requests in flight at once.</summary>
    public int Concurrency { get; init; } = 4;
}

/// <summary>
/// The Qtickets streams a run reads besides events and shows, so a scheduler can read orders often and
/// the slower per-show inventory less often.
/// </summary>
[Flags]
public enum QticketsStreams
{
    Orders = 1,
    Inventory = 2,
    All = Orders | Inventory,
}
