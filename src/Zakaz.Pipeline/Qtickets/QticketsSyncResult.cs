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

    public required int OrderPages { get; init; }

    /// <summary>True when the API ignored <c>orderBy id desc</c> and every page was read.</summary>
    public required bool SortIgnored { get; init; }

    /// <summary>Rows per table, in the order they are written.</summary>
    public required IReadOnlyDictionary<string, long> Rows { get; init; }

    public required IReadOnlyList<DateOnly> RebuiltDates { get; init; }

    public required IReadOnlyList<string> Samples { get; init; }

    /// <summary>The watermark stored by this run, null when it was left as it was.</summary>
    public DateTimeOffset? Watermark { get; init; }
}
