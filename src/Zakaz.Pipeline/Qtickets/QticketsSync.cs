using System.Collections.Concurrent;
using System.Globalization;
using Zakaz.Configuration;
using Zakaz.Pipeline.Cities;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Runs;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// One Qtickets sync (spec §2.4): events and shows, the orders changed in the window, inventory of
/// upcoming shows; staging upserts, then the facts of every business date the orders touched, then
/// the watermark. Everything is fetched before anything is written and the watermark moves last, so
/// a run that fails or is killed leaves the store consistent and the next run redoes its window;
/// the upserts are idempotent, so redoing it changes nothing a reader sees.
/// </summary>
public sealed class QticketsSync(
    IClickHouseStore store,
    IQticketsSource source,
    QticketsOptions options,
    Action<string>? progress = null,
    TimeProvider? time = null)
{
    public const string Job = "qtickets.orders";

    private const string InventoryLatest = "zakaz.fact_qtickets_inventory_latest";
    private const int SampleRows = 3;
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _reportGate = new();
    private readonly QticketsWatermarks _watermarks = new(store);
    private readonly QticketsOrderWriter _orders = new(store, options);

    /// <summary>
    /// Runs the sync and records it as a <see cref="Job"/> row of meta_job_runs (not when dry).
    /// Any failure is recorded and thrown as a <see cref="QticketsSyncException"/> a person can act on.
    /// </summary>
    public async Task<QticketsSyncResult> RunAsync(QticketsSyncRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(request.Concurrency, 1);
        if (request.DryRun)
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

        var run = await new JobRunLog(store).StartAsync(Job, cancellationToken);
        QticketsSyncResult result;
        try
        {
            result = await SyncAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var message = e is QticketsSyncException ? e.Message : Describe(e);
            // Recorded even when the run was cancelled: a killed sync must not look like it is still running.
            await run.FailAsync(message, cancellationToken: CancellationToken.None);
            throw e as QticketsSyncException ?? new QticketsSyncException(message, e);
        }
        await run.CompleteAsync(result.Rows.Values.Sum(), new
        {
            window_start = result.WindowStart?.ToString("O", CultureInfo.InvariantCulture),
            order_pages = result.OrderPages,
            sort_ignored = result.SortIgnored,
            rows = result.Rows,
            rebuilt_dates = result.RebuiltDates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            watermark = result.Watermark?.ToString("O", CultureInfo.InvariantCulture),
        }, cancellationToken);
        return result;
    }

    private async Task<QticketsSyncResult> SyncAsync(QticketsSyncRequest request, CancellationToken cancellationToken)
    {
        var started = _time.GetUtcNow();
        var stamp = LoadStamp.At(started);
        var (windowStart, movesWatermark) = await WindowAsync(request, started, cancellationToken);
        Report(windowStart is { } from
            ? $"Qtickets: reading orders changed since {from:yyyy-MM-dd HH:mm:ss zzz}"
            : "Qtickets: reading every order of events with future shows");

        var aliases = await CityAliases.LoadAsync(store, cancellationToken);
        var events = new EventMapper(aliases.Resolve);
        var fetchedEvents = new List<QticketsEvent>();
        await foreach (var e in source.ListEventsAsync(cancellationToken))
        {
            fetchedEvents.Add(e);
        }
        Report($"Qtickets: {fetchedEvents.Count} events");
        var eventRows = fetchedEvents.Select(e => events.MapEvent(e, stamp)).ToArray();
        var showRows = fetchedEvents.SelectMany(e => events.MapShows(e, stamp)).ToArray();
        var upcoming = fetchedEvents
            .Where(e => e.DeletedAt is null)
            .SelectMany(e => e.Shows.Where(s => s.DeletedAt is null && (s.FinishDate ?? s.StartDate ?? started) >= started).Select(s => (Event: e, Show: s)))
            .ToArray();

        HashSet<long>? reconciledEvents = request.Reconcile && request.Days is null ? upcoming.Select(u => u.Event.Id).ToHashSet() : null;
        var orders = await FetchOrdersAsync(windowStart, reconciledEvents, cancellationToken);

        var inventoryRows = await FetchInventoryAsync(upcoming, events, started, stamp, request.Concurrency, cancellationToken);
        await ReportOptionalAsync("discounts", source.ListDiscountsAsync(cancellationToken));
        await ReportOptionalAsync("promo codes", source.ListPromoCodesAsync(cancellationToken));

        var mapper = await _orders.MapperAsync(request.DryRun, cancellationToken);
        var mapped = orders.Orders.Select(o => QticketsOrderWriter.Map(mapper, o, started)).ToArray();
        foreach (var warning in mapped.SelectMany(m => m.Warnings).Take(10))
        {
            Report($"Qtickets: {warning}");
        }
        var orderRows = mapped.Select(m => m.Order).ToArray();
        var ticketRows = mapped.SelectMany(m => m.Tickets).ToArray();
        var dates = await _orders.TouchedDatesAsync(orderRows, cancellationToken);

        var rows = new Dictionary<string, long>
        {
            [QticketsTables.Events] = eventRows.Length,
            [QticketsTables.Shows] = showRows.Length,
            [QticketsTables.Orders] = orderRows.Length,
            [QticketsTables.Tickets] = ticketRows.Length,
            [QticketsTables.Inventory] = inventoryRows.Count,
        };
        var samples = orderRows.Take(SampleRows).Select(o =>
                $"order {o.OrderId}: event {o.EventId}, paid {o.PayedAt:yyyy-MM-dd HH:mm zzz}, {o.TicketsSold} ticket(s), revenue {o.Revenue:0.00}, utm_source '{o.UtmSource}'")
            .Concat(eventRows.Take(SampleRows).Select(e => $"event {e.EventId}: city '{e.City}', {e.StartDate:yyyy-MM-dd} to {e.EndDate:yyyy-MM-dd}"))
            .ToArray();
        var result = new QticketsSyncResult
        {
            DryRun = request.DryRun,
            WindowStart = windowStart,
            OrderPages = orders.Pages,
            SortIgnored = orders.SortIgnored,
            Rows = rows,
            RebuiltDates = dates,
            Samples = samples,
        };
        if (request.DryRun)
        {
            return result;
        }

        await InsertAsync(QticketsTables.Events, QticketsTables.EventSchema, eventRows, cancellationToken);
        await InsertAsync(QticketsTables.Shows, QticketsTables.ShowSchema, showRows, cancellationToken);
        await _orders.WriteAsync(orderRows, ticketRows, cancellationToken);
        Report($"Qtickets: {orderRows.Length} row(s) written to {QticketsTables.Orders}, {ticketRows.Length} to {QticketsTables.Tickets}");
        await InsertAsync(QticketsTables.Inventory, QticketsTables.InventorySchema, inventoryRows, cancellationToken);
        if (inventoryRows.Count > 0)
        {
            rows[InventoryLatest] = await RebuildInventoryLatestAsync(stamp, cancellationToken);
        }
        var facts = await new FactBuilder(store).RebuildForLoadAsync(dates, cancellationToken);
        foreach (var table in facts.Tables)
        {
            rows[table.Table] = table.Rows;
        }
        Report($"Qtickets: facts rebuilt for {(dates.Count == 0 ? "no dates" : string.Join(", ", facts.Ranges))}");

        if (!movesWatermark)
        {
            return result;
        }
        await _watermarks.WriteAsync(QticketsWatermarks.Orders, started.ToString("O", CultureInfo.InvariantCulture), cancellationToken);
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
        var watermark = await _watermarks.ReadAsync(QticketsWatermarks.Orders, cancellationToken);
        var automatic = watermark is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind).AddHours(-options.LookbackHours)
            : StartOfMoscowDay(now).AddDays(-options.InitialBackfillDays);
        var start = request.Since ?? automatic;
        return (start, start <= automatic);
    }

    private async Task<FetchedOrders> FetchOrdersAsync(DateTimeOffset? cutoff, HashSet<long>? events, CancellationToken cancellationToken)
    {
        var kept = new Dictionary<long, QticketsOrder>();
        var pages = 0;
        var sortIgnored = false;
        long? previousId = null;
        var newestFirst = new OrderListRequest { OrderBy = new QticketsSort("id", Descending: true) };
        await foreach (var page in source.ListOrderPagesAsync(newestFirst, cancellationToken))
        {
            pages++;
            foreach (var order in page.Items)
            {
                sortIgnored |= previousId is { } previous && order.Id > previous;
                previousId = order.Id;
                if (InWindow(order, cutoff) && (events is null || events.Contains(order.EventId)))
                {
                    kept[order.Id] = order;
                }
            }
            if (pages % 10 == 1)
            {
                Report($"Qtickets: {pages} order page(s) fetched, {kept.Count} order(s) in the window");
            }
            // Newest first, a page entirely older than the window means every later page is too; once
            // the ids were seen out of order nothing can be concluded, so every page is read.
            if (!sortIgnored && cutoff is { } c && page.Items.Count > 0 && page.Items.All(o => o.CreatedAt < c && o.UpdatedAt < c))
            {
                break;
            }
        }
        Report($"Qtickets: {pages} order page(s) fetched, {kept.Count} order(s) in the window{(sortIgnored ? $" (the API ignored orderBy id desc: read every page)" : "")}");
        return new FetchedOrders(kept.Values.OrderBy(o => o.Id).ToArray(), pages, sortIgnored);
    }

    // The server's filters are unverified (spec §2.3), so the window is applied here to whatever came back.
    private static bool InWindow(QticketsOrder order, DateTimeOffset? cutoff) =>
        cutoff is not { } c || order.CreatedAt >= c || order.UpdatedAt >= c || order.PayedAt >= c;

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
                Report($"Qtickets: seats of show {item.Show.Id} skipped (HTTP {e.StatusCode})");
            }
        });
        Report($"Qtickets: inventory of {rows.Count} of {shows.Count} upcoming show(s)");
        return rows;
    }

    private async Task ReportOptionalAsync<T>(string what, Task<OptionalResource<T>> fetch)
    {
        var resource = await fetch;
        Report(resource.IsSkipped
            ? $"Qtickets: {what} skipped ({resource.SkippedReason})"
            : $"Qtickets: {resource.Items.Count} {what} (logged only, not stored)");
    }

    // Per event, the sum over its shows that are not deleted of each show's latest snapshot. The
    // tuple keeps argMax from skipping a snapshot whose counts are NULL (unknown is not zero).
    private async Task<long> RebuildInventoryLatestAsync(LoadStamp stamp, CancellationToken cancellationToken)
    {
        await store.ExecuteAsync("""
            INSERT INTO zakaz.fact_qtickets_inventory_latest (snapshot_ts, event_id, event_name, city, tickets_total, tickets_left, _ver)
            SELECT max(s.latest.1), s.event_id, any(e.event_name), any(e.city), sum(s.latest.2), sum(s.latest.3), {ver:UInt64}
            FROM
            (
                SELECT event_id, show_id, argMax((snapshot_ts, tickets_total, tickets_left), snapshot_ts) AS latest
                FROM zakaz.stg_qtickets_api_inventory_raw FINAL
                GROUP BY event_id, show_id
            ) AS s
            INNER JOIN (SELECT show_id FROM zakaz.dim_shows FINAL WHERE deleted = 0) AS d ON d.show_id = s.show_id
            LEFT JOIN (SELECT event_id, event_name, city FROM zakaz.dim_events FINAL) AS e ON e.event_id = s.event_id
            GROUP BY s.event_id
            """, new QueryParameters().Add("ver", stamp.Version), cancellationToken: cancellationToken);
        var written = await store.QueryAsync("SELECT count() FROM zakaz.fact_qtickets_inventory_latest FINAL WHERE _ver = {ver:UInt64}",
            new QueryParameters().Add("ver", stamp.Version), cancellationToken: cancellationToken);
        return checked((long)written.Scalar<ulong>());
    }

    private async Task InsertAsync<T>(string table, RowSchema<T> schema, IReadOnlyCollection<T> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return;
        }
        await store.InsertAsync(table, schema, rows, cancellationToken: cancellationToken);
        Report($"Qtickets: {rows.Count} row(s) written to {table}");
    }

    // Seat requests report from several threads; the receiver need not be thread-safe.
    private void Report(string line)
    {
        lock (_reportGate)
        {
            progress?.Invoke(line);
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
        ConfigurationException => e.Message,
        OperationCanceledException => "Qtickets sync was cancelled before it finished; the next run redoes its window.",
        _ => $"Qtickets sync failed: {e.GetType().Name}: {e.Message}",
    }).ReplaceLineEndings(" ");

    private sealed record FetchedOrders(IReadOnlyList<QticketsOrder> Orders, int Pages, bool SortIgnored);
}
