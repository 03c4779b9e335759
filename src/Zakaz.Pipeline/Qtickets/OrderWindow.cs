using Zakaz.Pipeline.Sync;
using Zakaz.Sources.Qtickets;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// The orders stream's window (spec §2.4) and its cursor: where a run starts reading, which orders it
/// wants, and, once everything it read is committed, the cursor moved to the run's start.
/// </summary>
internal sealed class OrderWindow(StreamState state, QticketsOptions options)
{
    /// <summary>The cursor: the start of the last successful incremental sync, ISO 8601.</summary>
    public static readonly StreamKey Cursor = new("qtickets", "orders");

    internal static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    /// <summary>
    /// Where the order window starts and whether a success may move the cursor: only a window reaching
    /// back at least as far as the automatic one covers everything the cursor vouches for.
    /// </summary>
    public async Task<(DateTimeOffset? Start, bool MovesCursor)> StartAsync(QticketsSyncRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Reconcile)
        {
            return (request.Days is { } days ? now.AddDays(-days) : null, false);
        }
        var cursor = await state.ReadAsync(Cursor, cancellationToken);
        var automatic = cursor is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).AddHours(-options.LookbackHours)
            : StartOfMoscowDay(now).AddDays(-options.InitialBackfillDays);
        var start = request.Since ?? automatic;
        return (start, start <= automatic);
    }

    /// <summary>
    /// The orders a run wants. An incremental run or one of the last N days: those changed in its window. A reconcile:
    /// every order of the events with a show (deleted or not) ending after now minus QTICKETS_RECONCILE_DAYS or later;
    /// none was made before the oldest of those events, so an id scan may stop there (when every event says when it
    /// was created). A full reconcile: every order.
    /// </summary>
    public OrderScanPlan Plan(QticketsSyncRequest request, DateTimeOffset? window, IReadOnlyList<QticketsEvent> events, DateTimeOffset now)
    {
        if (!request.Reconcile || request.Days is not null)
        {
            return new OrderScanPlan(window, null, window);
        }
        if (request.AllOrders)
        {
            return new OrderScanPlan(null, null, null);
        }
        var since = now.AddDays(-options.ReconcileDays);
        var recent = events.Where(e => e.Shows.Any(s => (s.FinishDate ?? s.StartDate) is not { } end || end >= since)).ToArray();
        DateTimeOffset? floor = recent.Length == 0 ? now : recent.All(e => e.CreatedAt is not null) ? recent.Min(e => e.CreatedAt) : null;
        return new OrderScanPlan(null, recent.Select(e => e.Id).ToHashSet(), floor);
    }

    public string Describe(QticketsSyncRequest request, OrderScanPlan plan, DateTimeOffset? window, DateTimeOffset now) =>
        request.Reconcile && request.AllOrders ? "reading every order"
        : plan.Events is { } reconciled ? $"reading every order of {reconciled.Count} event(s) with a show ending after {now.AddDays(-options.ReconcileDays):yyyy-MM-dd HH:mm zzz} (QTICKETS_RECONCILE_DAYS back)"
        : $"reading orders changed since {window:yyyy-MM-dd HH:mm:ss zzz}";

    public Task MoveCursorAsync(DateTimeOffset runStart, CancellationToken cancellationToken) =>
        state.WriteAsync(Cursor, runStart.ToString("O", CultureInfo.InvariantCulture), cancellationToken);

    public static DateOnly MoscowDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Moscow).DateTime);

    private static DateTimeOffset StartOfMoscowDay(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Moscow);
        return new DateTimeOffset(local.Date, local.Offset);
    }
}
