using Zakaz.Configuration;
using Zakaz.Pipeline.Cities;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Runs;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// One Qtickets sync (spec §2.4): events and shows, the orders changed in the window, inventory of
/// upcoming shows; staging upserts, then the facts of every business date the orders touched, then
/// the watermark. Orders are written in batches, their sale dates journalled first (<see cref="OrderStream"/>),
/// so a run that fails or is killed leaves the facts as they were, and the next run redoes its window and rebuilds
/// every date the broken run touched; the upserts are idempotent, so redoing them changes nothing a reader sees.
/// </summary>
public sealed class QticketsSync(
    IClickHouseStore store, IQticketsSource source, QticketsOptions options, IProgress<SyncProgress>? progress = null, TimeProvider? time = null)
{
    public const string Job = "qtickets.orders";

    /// <summary>The job of a run that reads inventory only (the scheduler's hourly one).</summary>
    public const string InventoryJob = "qtickets.inventory";

    /// <summary>The job of a reconcile of recent events' orders (the scheduler's nightly one) or of the last N days.</summary>
    public const string ReconcileJob = "qtickets.reconcile";

    /// <summary>The job of a reconcile of every order (the scheduler's weekly one).</summary>
    public const string FullReconcileJob = "qtickets.reconcile_full";

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly SourceProgress _progress = new("Qtickets", progress);
    private readonly StreamState _state = new(store, time);
    private readonly QticketsOrderWriter _writer = new(store, options, time);

    /// <summary>
    /// Runs the sync and records it as a <see cref="Job"/> row of meta_job_runs (not when dry).
    /// Any failure is recorded and thrown as a <see cref="QticketsSyncException"/> a person can act on.
    /// </summary>
    public async Task<QticketsSyncResult> RunAsync(QticketsSyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Concurrency, 1);
        return request.DryRun
            ? await DescribedAsync(request, cancellationToken)
            : await new JobRunLog(store, _time).RecordAsync(JobOf(request), token => DescribedAsync(request, token), Summary, cancellationToken: cancellationToken);
    }

    private Task<QticketsSyncResult> DescribedAsync(QticketsSyncRequest request, CancellationToken cancellationToken) =>
        SyncFailure.DescribedAsync(() => SyncAsync(request, cancellationToken), Describe, (message, e) => new QticketsSyncException(message, e));

    private static RunSummary Summary(QticketsSyncResult result) => new(result.Rows.Values.Sum(), new
    {
        window_start = result.WindowStart?.ToString("O", CultureInfo.InvariantCulture),
        reconciled_events = result.ReconciledEvents,
        order_pages = result.OrderPages,
        orders_read = result.OrdersRead,
        updated_at_filter = result.UpdatedAtFilter,
        sort_ignored = result.SortIgnored,
        rows = result.Rows,
        rebuilt_dates = result.RebuiltDates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        watermark = result.Watermark?.ToString("O", CultureInfo.InvariantCulture),
    });

    private async Task<QticketsSyncResult> SyncAsync(QticketsSyncRequest request, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var stamp = LoadStamp.At(started);
        var window = new OrderWindow(_state, options);
        var (windowStart, movesCursor) = await window.StartAsync(request, started, cancellationToken);

        var events = new EventMapper((await CityAliases.LoadAsync(store, cancellationToken)).Resolve);
        var fetchedEvents = await source.ListEventsAsync(cancellationToken).ToListAsync(cancellationToken);
        Report($"{fetchedEvents.Count} events");
        var eventRows = fetchedEvents.Select(e => events.MapEvent(e, stamp)).ToArray();
        var showRows = fetchedEvents.SelectMany(e => events.MapShows(e, stamp)).ToArray();
        var plan = window.Plan(request, windowStart, fetchedEvents, started);
        Report(window.Describe(request, plan, windowStart, started));
        var rows = new Dictionary<string, long>
        {
            [QticketsTables.Events] = eventRows.Length,
            [QticketsTables.Shows] = showRows.Length,
        };
        if (!request.DryRun)
        {
            // Events first: the orders' facts name them.
            await InsertAsync(QticketsTables.Events, QticketsTables.EventSchema, eventRows, cancellationToken);
            await InsertAsync(QticketsTables.Shows, QticketsTables.ShowSchema, showRows, cancellationToken);
        }

        var readsOrders = request.Streams.HasFlag(QticketsStreams.Orders);
        var orderStream = new OrderStream(source, _writer, _state, _progress);
        var orders = readsOrders
            ? await orderStream.ReadAsync(plan, request.DryRun, started, cancellationToken)
            : new OrderStreamResult(new OrderScanResult(0, false, "", QticketsOrderScan.NotUsed), 0, 0, [], []);
        if (readsOrders)
        {
            rows[QticketsTables.Orders] = orders.OrderRows;
            rows[QticketsTables.Tickets] = orders.TicketRows;
        }

        if (request.Streams.HasFlag(QticketsStreams.Inventory))
        {
            var inventoryRows = await new InventoryStream(source, _progress).ReadAsync(fetchedEvents, events, stamp, request.Concurrency, cancellationToken);
            rows[QticketsTables.Inventory] = inventoryRows.Count;
            if (!request.DryRun && inventoryRows.Count > 0)
            {
                await InsertAsync(QticketsTables.Inventory, QticketsTables.InventorySchema, inventoryRows, cancellationToken);
                rows[InventoryLatest.Table] = await new InventoryLatest(store).RebuildAsync(stamp.Version, cancellationToken);
            }
        }

        var result = new QticketsSyncResult(request.DryRun, readsOrders ? windowStart : null, plan.Events?.Count, orders.Scan.Pages, orders.Scan.Read,
            orders.Scan.UpdatedAtFilter, orders.Scan.SortIgnored, rows, orders.Dates.ToArray(),
            [.. orders.Samples, .. eventRows.Take(OrderStream.SampleRows).Select(e => $"event {e.EventId}: city '{e.City}', {e.StartDate:yyyy-MM-dd} to {e.EndDate:yyyy-MM-dd}")]);
        if (request.DryRun)
        {
            return result;
        }

        if (orders.Dates.Count > 0)
        {
            var facts = await new FactBuilder(store, _time).RebuildForLoadAsync(orders.Dates.ToArray(), cancellationToken);
            foreach (var table in facts.Tables)
            {
                rows[table.Table] = table.Rows;
            }
            Report($"facts rebuilt for {string.Join(", ", facts.Ranges)}");
            await orderStream.ClearJournalAsync(cancellationToken);
        }
        else if (readsOrders)
        {
            Report("facts rebuilt for no dates");
        }

        if (!readsOrders || !movesCursor)
        {
            return result;
        }
        await window.MoveCursorAsync(started, cancellationToken);
        return result with { Watermark = started };
    }

    /// <summary>One line a person can act on, without the token or response bodies (the client's messages already omit them).</summary>
    private static string Describe(Exception e) => (e switch
    {
        QticketsApiException { StatusCode: 401 or 403 } api =>
            $"Qtickets rejected the token (HTTP {api.StatusCode} on {api.Path}): check QTICKETS_TOKEN. Nothing was written.",
        QticketsException => $"Qtickets sync failed: {e.Message}",
        ClickHouseException or StoreUnavailableException => $"Qtickets sync failed writing to ClickHouse: {e.Message}",
        ConfigurationException or StoreSecretsException => e.Message,
        OperationCanceledException => "Qtickets sync was cancelled before it finished; the next run redoes its window.",
        _ => $"Qtickets sync failed: {e.GetType().Name}: {e.Message}",
    }).ReplaceLineEndings(" ");

    private static string JobOf(QticketsSyncRequest request) =>
        !request.Streams.HasFlag(QticketsStreams.Orders) ? InventoryJob
        : !request.Reconcile ? Job
        : request.AllOrders ? FullReconcileJob
        : ReconcileJob;

    private async Task InsertAsync<T>(string table, RowSchema<T> schema, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await store.InsertAsync(table, schema, rows, cancellationToken: cancellationToken);
        Report($"{rows.Count} row(s) written to {table}");
    }

    private void Report(string message) => _progress.Report(message);
}
