using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
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
/// the watermark. Orders are written in batches while later pages are still being fetched, so memory
/// stays flat whatever the window holds. Before a batch is written, the sale dates it touches (old and
/// new) are added to a journal in meta_watermarks; the facts of the journal's dates are rebuilt at the
/// end of a run, and only then is the journal cleared and the watermark moved. So a run that fails or
/// is killed leaves the facts as they were, the next run redoes its window and also rebuilds every date
/// the broken run touched; the upserts are idempotent, so redoing them changes nothing a reader sees.
/// </summary>
public sealed class QticketsSync(
    IClickHouseStore store,
    IQticketsSource source,
    QticketsOptions options,
    IProgress<SyncProgress>? progress = null,
    TimeProvider? time = null)
{
    public const string Job = "qtickets.orders";

    /// <summary>The job of a run that reads inventory only (the scheduler's hourly one).</summary>
    public const string InventoryJob = "qtickets.inventory";

    /// <summary>The job of a reconcile of recent events' orders (the scheduler's nightly one) or of the last N days.</summary>
    public const string ReconcileJob = "qtickets.reconcile";

    /// <summary>The job of a reconcile of every order (the scheduler's weekly one).</summary>
    public const string FullReconcileJob = "qtickets.reconcile_full";

    /// <summary>The orders stream's cursor: the start of the last successful incremental sync, ISO 8601.</summary>
    internal static readonly StreamKey Cursor = new("qtickets", "orders");

    /// <summary>
    /// Sale dates whose staging rows a run changed but whose facts it has not rebuilt yet, comma-separated
    /// yyyy-MM-dd; empty once the facts are rebuilt.
    /// </summary>
    internal static readonly StreamKey PendingFactDates = new("qtickets", "pending_fact_dates");

    private const int SampleRows = 3;
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Serialized _progress = new(progress);
    private readonly StreamState _state = new(store, time);
    private readonly QticketsOrderWriter _orders = new(store, options, time);

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

    private async Task<QticketsSyncResult> DescribedAsync(QticketsSyncRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await SyncAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException and not QticketsSyncException)
        {
            throw new QticketsSyncException(Describe(e), e);
        }
    }

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
        var (windowStart, movesWatermark) = await WindowAsync(request, started, cancellationToken);

        var aliases = await CityAliases.LoadAsync(store, cancellationToken);
        var events = new EventMapper(aliases.Resolve);
        var fetchedEvents = new List<QticketsEvent>();
        await foreach (var e in source.ListEventsAsync(cancellationToken))
        {
            fetchedEvents.Add(e);
        }
        Report($"{fetchedEvents.Count} events");
        var eventRows = fetchedEvents.Select(e => events.MapEvent(e, stamp)).ToArray();
        var showRows = fetchedEvents.SelectMany(e => events.MapShows(e, stamp)).ToArray();
        var upcoming = fetchedEvents
            .Where(e => e.DeletedAt is null)
            .SelectMany(e => e.Shows.Where(s => s.DeletedAt is null && (s.FinishDate ?? s.StartDate ?? started) >= started).Select(s => (Event: e, Show: s)))
            .ToArray();

        var plan = OrderScan(request, windowStart, fetchedEvents, started);
        Report(request.Reconcile && request.AllOrders ? "reading every order"
            : plan.Events is { } reconciled ? $"reading every order of {reconciled.Count} event(s) with a show ending after {started.AddDays(-options.ReconcileDays):yyyy-MM-dd HH:mm zzz} (QTICKETS_RECONCILE_DAYS back)"
            : $"reading orders changed since {windowStart:yyyy-MM-dd HH:mm:ss zzz}");
        var rows = new Dictionary<string, long>
        {
            [QticketsTables.Events] = eventRows.Length,
            [QticketsTables.Shows] = showRows.Length,
        };
        var samples = new List<string>();
        if (!request.DryRun)
        {
            // Events first: the orders' facts name them.
            await InsertAsync(QticketsTables.Events, QticketsTables.EventSchema, eventRows, cancellationToken);
            await InsertAsync(QticketsTables.Shows, QticketsTables.ShowSchema, showRows, cancellationToken);
        }

        var orders = new OrderScanResult(0, false, "", QticketsOrderScan.NotUsed);
        var dates = new SortedSet<DateOnly>();
        if (request.Streams.HasFlag(QticketsStreams.Orders))
        {
            var writer = new OrderBatchWriter(this, await _orders.MapperAsync(request.DryRun, cancellationToken), request.DryRun, started);
            if (!request.DryRun)
            {
                writer.Dates.UnionWith(await ReadJournalAsync(cancellationToken));
            }
            orders = await FetchOrdersAsync(plan, writer, cancellationToken);
            rows[QticketsTables.Orders] = writer.OrderRows;
            rows[QticketsTables.Tickets] = writer.TicketRows;
            dates = writer.Dates;
            samples.AddRange(writer.Samples);
        }

        if (request.Streams.HasFlag(QticketsStreams.Inventory))
        {
            var inventoryRows = await FetchInventoryAsync(upcoming, events, started, stamp, request.Concurrency, cancellationToken);
            await ReportOptionalAsync("discounts", source.ListDiscountsAsync(cancellationToken));
            await ReportOptionalAsync("promo codes", source.ListPromoCodesAsync(cancellationToken));
            rows[QticketsTables.Inventory] = inventoryRows.Count;
            if (!request.DryRun && inventoryRows.Count > 0)
            {
                await InsertAsync(QticketsTables.Inventory, QticketsTables.InventorySchema, inventoryRows, cancellationToken);
                rows[InventoryLatest.Table] = await new InventoryLatest(store).RebuildAsync(stamp.Version, cancellationToken);
            }
        }

        samples.AddRange(eventRows.Take(SampleRows).Select(e => $"event {e.EventId}: city '{e.City}', {e.StartDate:yyyy-MM-dd} to {e.EndDate:yyyy-MM-dd}"));
        var result = new QticketsSyncResult
        {
            DryRun = request.DryRun,
            WindowStart = request.Streams.HasFlag(QticketsStreams.Orders) ? windowStart : null,
            ReconciledEvents = plan.Events?.Count,
            OrderPages = orders.Pages,
            OrdersRead = orders.Read,
            UpdatedAtFilter = orders.UpdatedAtFilter,
            SortIgnored = orders.SortIgnored,
            Rows = rows,
            RebuiltDates = dates.ToArray(),
            Samples = samples,
        };
        if (request.DryRun)
        {
            return result;
        }

        if (dates.Count > 0)
        {
            var facts = await new FactBuilder(store, _time).RebuildForLoadAsync(dates.ToArray(), cancellationToken);
            foreach (var table in facts.Tables)
            {
                rows[table.Table] = table.Rows;
            }
            Report($"facts rebuilt for {string.Join(", ", facts.Ranges)}");
            await _state.WriteAsync(PendingFactDates, "", cancellationToken);
        }
        else if (request.Streams.HasFlag(QticketsStreams.Orders))
        {
            Report("facts rebuilt for no dates");
        }

        if (!request.Streams.HasFlag(QticketsStreams.Orders))
        {
            return result;
        }
        if (!movesWatermark)
        {
            return result;
        }
        await _state.WriteAsync(Cursor, started.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
        return result with { Watermark = started };
    }

    /// <summary>
    /// Where the order window starts and whether a success may move the watermark: only a window
    /// reaching back at least as far as the automatic one covers everything the watermark vouches for.
    /// </summary>
    private async Task<(DateTimeOffset? Start, bool MovesWatermark)> WindowAsync(QticketsSyncRequest request, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (request.Reconcile)
        {
            return (request.Days is { } days ? now.AddDays(-days) : null, false);
        }
        var watermark = await _state.ReadAsync(Cursor, cancellationToken);
        var automatic = watermark is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).AddHours(-options.LookbackHours)
            : StartOfMoscowDay(now).AddDays(-options.InitialBackfillDays);
        var start = request.Since ?? automatic;
        return (start, start <= automatic);
    }

    /// <summary>The job a run is recorded as: its streams, and for a reconcile how far it reaches.</summary>
    private static string JobOf(QticketsSyncRequest request) =>
        !request.Streams.HasFlag(QticketsStreams.Orders) ? InventoryJob
        : !request.Reconcile ? Job
        : request.AllOrders ? FullReconcileJob
        : ReconcileJob;

    /// <summary>
    /// The orders a run wants. An incremental run or one of the last N days: those changed in its window. A
    /// reconcile: every order of the events with a show (deleted or not) that ends after now minus
    /// QTICKETS_RECONCILE_DAYS, future shows included; none of them was made before the oldest of those events,
    /// so an id scan may stop there (when every event says when it was created). A full reconcile: every order.
    /// </summary>
    private OrderScanPlan OrderScan(QticketsSyncRequest request, DateTimeOffset? window, IReadOnlyList<QticketsEvent> events, DateTimeOffset now)
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

    /// <summary>Reads the orders of <paramref name="plan"/> and hands them to <paramref name="writer"/> in batches, which it maps and writes while the next pages are fetched.</summary>
    private async Task<OrderScanResult> FetchOrdersAsync(OrderScanPlan plan, OrderBatchWriter writer, CancellationToken cancellationToken)
    {
        var batches = Channel.CreateBounded<List<QticketsOrder>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = writer.ConsumeAsync(batches.Reader, stop);
        var reading = new QticketsOrderScan(source, _progress).ReadAsync(plan, batches.Writer, stop.Token);
        try
        {
            return await reading;
        }
        finally
        {
            batches.Writer.TryComplete();
            if (!reading.IsCompletedSuccessfully)
            {
                await stop.CancelAsync();
            }
            try
            {
                await writing;
            }
            catch (OperationCanceledException) when (!reading.IsCompletedSuccessfully)
            {
                // Stopped because reading failed; that failure is the one reported.
            }
        }
    }

    private async Task<IReadOnlyCollection<QticketsInventoryRow>> FetchInventoryAsync(
        IReadOnlyList<(QticketsEvent Event, QticketsShow Show)> shows, EventMapper mapper, DateTimeOffset snapshot, LoadStamp stamp, int concurrency,
        CancellationToken cancellationToken)
    {
        var rows = new ConcurrentBag<QticketsInventoryRow>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(shows, parallel, async (item, token) =>
        {
            try
            {
                var inventory = await source.GetShowSeatsAsync(item.Show.Id, token);
                rows.Add(mapper.MapInventory(item.Event, item.Show, inventory, snapshot, stamp));
            }
            catch (QticketsApiException e) when (e.StatusCode is 403 or 404)
            {
                // Seats are optional (spec §5): one show without a seat map must not stop the sales.
                Report($"seats of show {item.Show.Id} skipped (HTTP {e.StatusCode})");
            }
        });
        Report($"inventory of {rows.Count} of {shows.Count} upcoming show(s)");
        return rows;
    }

    private async Task ReportOptionalAsync<T>(string what, Task<OptionalResource<T>> fetch)
    {
        var resource = await fetch;
        Report(resource.IsSkipped
            ? $"{what} skipped ({resource.SkippedReason})"
            : $"{resource.Items.Count} {what} (logged only, not stored)");
    }

    private async Task<IReadOnlyList<DateOnly>> ReadJournalAsync(CancellationToken cancellationToken)
    {
        var text = await _state.ReadAsync(PendingFactDates, cancellationToken);
        var dates = string.IsNullOrEmpty(text)
            ? []
            : text.Split(',').Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        if (dates.Length > 0)
        {
            Report($"{dates.Length} sale date(s) left by an unfinished run are rebuilt too");
        }
        return dates;
    }

    private Task WriteJournalAsync(IEnumerable<DateOnly> dates, CancellationToken cancellationToken) =>
        _state.WriteAsync(PendingFactDates,
            string.Join(',', dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), cancellationToken);

    private async Task InsertAsync<T>(string table, RowSchema<T> schema, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await store.InsertAsync(table, schema, rows, cancellationToken: cancellationToken);
        Report($"{rows.Count} row(s) written to {table}");
    }

    private void Report(string message) => _progress.Report(new SyncProgress("Qtickets", message));

    /// <summary>Seat requests and the order writer report from several threads; the receiver need not be thread-safe.</summary>
    private sealed class Serialized(IProgress<SyncProgress>? inner) : IProgress<SyncProgress>
    {
        private readonly Lock _gate = new();

        public void Report(SyncProgress value)
        {
            lock (_gate)
            {
                inner?.Report(value);
            }
        }
    }

    internal static DateOnly MoscowDate(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Moscow).DateTime);

    private static DateTimeOffset StartOfMoscowDay(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Moscow);
        return new DateTimeOffset(local.Date, local.Offset);
    }

    /// <summary>One line a person can act on, without the token or response bodies (the client's messages already omit them).</summary>
    internal static string Describe(Exception e) => (e switch
    {
        QticketsApiException { StatusCode: 401 or 403 } api =>
            $"Qtickets rejected the token (HTTP {api.StatusCode} on {api.Path}): check QTICKETS_TOKEN. Nothing was written.",
        QticketsException => $"Qtickets sync failed: {e.Message}",
        ClickHouseException or StoreUnavailableException => $"Qtickets sync failed writing to ClickHouse: {e.Message}",
        ConfigurationException or StoreSecretsException => e.Message,
        OperationCanceledException => "Qtickets sync was cancelled before it finished; the next run redoes its window.",
        _ => $"Qtickets sync failed: {e.GetType().Name}: {e.Message}",
    }).ReplaceLineEndings(" ");

    /// <summary>
    /// Maps and writes batches of orders as they arrive: the journal of touched sale dates is extended
    /// before a batch's rows are stored, so no date a stored row changed can be missed by the rebuild.
    /// </summary>
    private sealed class OrderBatchWriter(QticketsSync sync, OrderMapper mapper, bool dryRun, DateTimeOffset loadedAt)
    {
        private int _warnings;

        public SortedSet<DateOnly> Dates { get; } = [];

        public List<string> Samples { get; } = [];

        public long OrderRows { get; private set; }

        public long TicketRows { get; private set; }

        public async Task ConsumeAsync(ChannelReader<List<QticketsOrder>> batches, CancellationTokenSource stop)
        {
            try
            {
                await foreach (var batch in batches.ReadAllAsync(stop.Token))
                {
                    await WriteAsync(batch, stop.Token);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Stops the reading too, so a failed write is reported at once, not after the last page.
                await stop.CancelAsync();
                throw;
            }
        }

        private async Task WriteAsync(List<QticketsOrder> batch, CancellationToken cancellationToken)
        {
            var mapped = batch.Select(o => QticketsOrderWriter.Map(mapper, o, loadedAt)).ToArray();
            foreach (var warning in mapped.SelectMany(m => m.Warnings).Take(Math.Max(0, 10 - _warnings)))
            {
                _warnings++;
                sync.Report($"{warning}");
            }
            var orderRows = mapped.Select(m => m.Order).ToArray();
            var ticketRows = mapped.SelectMany(m => m.Tickets).ToArray();
            foreach (var o in orderRows.Take(SampleRows - Samples.Count))
            {
                Samples.Add($"order {o.OrderId}: event {o.EventId}, paid {o.PayedAt:yyyy-MM-dd HH:mm zzz}, {o.TicketsSold} ticket(s), revenue {o.Revenue:0.00}, utm_source '{o.UtmSource}'");
            }
            var before = Dates.Count;
            Dates.UnionWith(await sync._orders.TouchedDatesAsync(orderRows, cancellationToken));
            OrderRows += orderRows.Length;
            TicketRows += ticketRows.Length;
            if (dryRun)
            {
                return;
            }
            if (Dates.Count != before)
            {
                await sync.WriteJournalAsync(Dates, cancellationToken);
            }
            await sync._orders.WriteAsync(orderRows, ticketRows, cancellationToken);
            sync.Report($"{OrderRows} order(s) and {TicketRows} ticket(s) written to staging");
        }
    }
}
