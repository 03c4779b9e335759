namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// What a sync read and wrote (or, dry, would write): rows per table, the business dates whose facts
/// were rebuilt, and a few sample rows without personal data.
/// </summary>
public sealed record QticketsSyncResult
{
    public required bool DryRun { get; init; }

    /// <summary>The start of the order window; null when a reconcile read every order.</summary>
    public required DateTimeOffset? WindowStart { get; init; }

    /// <summary>How many events a reconcile read the orders of; null when it was not limited to events.</summary>
    public int? ReconciledEvents { get; init; }

    public required int OrderPages { get; init; }

    /// <summary>How the orders were read: updated_at_filter, newest_first, backwards_from_last_page or every_page (see QticketsOrderScan).</summary>
    public string OrdersRead { get; init; } = "";

    /// <summary>
    /// honoured when the API applied <c>where updated_at &gt;= …</c> (so older orders' changes were read at once),
    /// ignored when it did not and the run fell back to an id scan, not_used when the run did not ask.
    /// </summary>
    public string UpdatedAtFilter { get; init; } = "";

    /// <summary>True when the API ignored <c>orderBy id desc</c>.</summary>
    public required bool SortIgnored { get; init; }

    /// <summary>Rows per table, in the order they are written.</summary>
    public required IReadOnlyDictionary<string, long> Rows { get; init; }

    public required IReadOnlyList<DateOnly> RebuiltDates { get; init; }

    public required IReadOnlyList<string> Samples { get; init; }

    /// <summary>The watermark stored by this run, null when it was left as it was.</summary>
    public DateTimeOffset? Watermark { get; init; }
}
