namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// What a sync read and wrote (or, dry, would write): rows per table, the business dates whose facts
/// were rebuilt, and a few sample rows without personal data.
/// </summary>
/// <param name="WindowStart">The start of the order window; null when a reconcile read every order.</param>
/// <param name="ReconciledEvents">How many events a reconcile read the orders of; null when it was not limited to events.</param>
/// <param name="OrdersRead">How the orders were read: updated_at_filter, newest_first, backwards_from_last_page or every_page (see QticketsOrderScan).</param>
/// <param name="UpdatedAtFilter">
/// honoured when the API applied <c>where updated_at &gt;= …</c> (so older orders' changes were read at once),
/// ignored when it did not and the run fell back to an id scan, not_used when the run did not ask.
/// </param>
/// <param name="SortIgnored">True when the API ignored <c>orderBy id desc</c>.</param>
/// <param name="Rows">Rows per table, in the order they are written.</param>
/// <param name="Watermark">The watermark stored by this run, null when it was left as it was.</param>
public sealed record QticketsSyncResult(
    bool DryRun, DateTimeOffset? WindowStart, int? ReconciledEvents, int OrderPages, string OrdersRead, string UpdatedAtFilter, bool SortIgnored,
    IReadOnlyDictionary<string, long> Rows, IReadOnlyList<DateOnly> RebuiltDates, IReadOnlyList<string> Samples, DateTimeOffset? Watermark = null);
