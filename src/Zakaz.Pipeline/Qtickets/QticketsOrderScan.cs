using System.Text.Json.Nodes;
using System.Threading.Channels;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.Qtickets;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>Which orders a sync wants (spec §2.4), and the least it may read to find them all.</summary>
/// <param name="Window">Keep only orders created, changed or paid since then; null keeps every order read.</param>
/// <param name="Events">Keep only orders of these events; null keeps every event's.</param>
/// <param name="Floor">No wanted order was created and changed before it: the scan may stop at a page entirely older; null reads every page.</param>
internal sealed record OrderScanPlan(DateTimeOffset? Window, IReadOnlySet<long>? Events, DateTimeOffset? Floor);

/// <param name="Read">updated_at_filter, newest_first, backwards_from_last_page or every_page.</param>
/// <param name="UpdatedAtFilter">honoured or ignored when the filter was tried, not_used otherwise.</param>
internal sealed record OrderScanResult(int Pages, bool SortIgnored, string Read, string UpdatedAtFilter);

/// <summary>
/// Reads the orders of an <see cref="OrderScanPlan"/> page by page and hands them on in batches. The server's
/// filters and sort are unverified (spec §2.3), so what comes back is checked on every run and the plan's
/// conditions are applied here again:
/// 1. With a time window, <c>where updated_at &gt;= …</c>, newest id first: it returns older orders' late
///    changes as well as new orders. It is trusted for this run only if every row satisfies it and the ids
///    descend; anything else falls back to 2.
/// 2. Newest id first without a filter, stopping at the first page entirely older than the floor: new orders
///    only, since an older order's later change sits on a page below the stop.
/// 3. When the API ignored the sort and serves its default order (oldest first), the same walk from the last
///    page backwards; when its pages are in no order at all, every page.
/// </summary>
internal sealed class QticketsOrderScan(IQticketsSource source, SourceProgress progress)
{
    public const string Honoured = "honoured";
    public const string Ignored = "ignored";
    public const string NotUsed = "not_used";

    private const int OrdersPerBatch = 1000;

    /// <summary>
    /// A server may read a time without an offset in another zone than Moscow: the filter asks for a day more than
    /// the window and accepts rows within that day, so no zone between UTC−12 and UTC+14 can hide a change.
    /// </summary>
    private static readonly TimeSpan FilterMargin = TimeSpan.FromDays(1);

    private static readonly QticketsSort NewestFirst = new("id", Descending: true);

    // Only ids are kept across batches: an order returned twice (a repeated page, the fallback re-reading) is written once.
    private readonly HashSet<long> _seen = [];
    private List<QticketsOrder> _batch = new(OrdersPerBatch);
    private int _pages;

    public async Task<OrderScanResult> ReadAsync(OrderScanPlan plan, ChannelWriter<List<QticketsOrder>> batches, CancellationToken cancellationToken)
    {
        var filter = NotUsed;
        OrderScanResult result;
        if (plan.Window is { } window && plan.Events is null && await ReadUpdatedSinceAsync(plan, window, batches, cancellationToken))
        {
            result = new OrderScanResult(_pages, false, "updated_at_filter", Honoured);
        }
        else
        {
            filter = plan.Window is not null && plan.Events is null ? Ignored : NotUsed;
            result = await ReadNewestFirstAsync(plan, batches, cancellationToken) with { UpdatedAtFilter = filter };
        }
        if (_batch.Count > 0)
        {
            await batches.WriteAsync(_batch, cancellationToken);
        }
        progress.Report($"{_pages} order page(s) fetched, {_seen.Count} order(s) kept ({Describe(result)})");
        return result;
    }

    private async Task<bool> ReadUpdatedSinceAsync(OrderScanPlan plan, DateTimeOffset window, ChannelWriter<List<QticketsOrder>> batches, CancellationToken cancellationToken)
    {
        var sent = window - FilterMargin;
        var request = new OrderListRequest
        {
            Where = [new QticketsCondition("updated_at", ">=", JsonValue.Create(MoscowTime(sent)))],
            OrderBy = NewestFirst,
        };
        long? previous = null;
        await foreach (var page in source.ListOrderPagesAsync(request, cancellationToken))
        {
            string? broken = null;
            foreach (var order in page.Items)
            {
                if (order.UpdatedAt < sent - FilterMargin)
                {
                    broken ??= $"order {order.Id} was last changed {order.UpdatedAt:yyyy-MM-dd HH:mm zzz}";
                }
                if (previous is { } p && order.Id > p)
                {
                    broken ??= $"order {order.Id} came after order {p}";
                }
                previous = order.Id;
            }
            await TakeAsync(plan, page, batches, cancellationToken);
            if (broken is not null)
            {
                progress.Report($"the API did not apply where updated_at >= {MoscowTime(sent)} with orderBy id desc ({broken}): reading newest ids first instead");
                return false;
            }
        }
        return true;
    }

    private async Task<OrderScanResult> ReadNewestFirstAsync(OrderScanPlan plan, ChannelWriter<List<QticketsOrder>> batches, CancellationToken cancellationToken)
    {
        var request = new OrderListRequest { OrderBy = NewestFirst };
        var sortIgnored = false;
        long? previous = null;
        QticketsPage<QticketsOrder>? oldestFirst = null;
        await foreach (var page in source.ListOrderPagesAsync(request, cancellationToken))
        {
            if (page.Number == 1 && plan.Floor is not null && page.Items.Count > 1 && page.Total > page.Items.Count && Ascending(page.Items))
            {
                // The API's default order, oldest first: the newest orders are on the last page.
                oldestFirst = page;
                break;
            }
            foreach (var order in page.Items)
            {
                sortIgnored |= previous is { } p && order.Id > p;
                previous = order.Id;
            }
            await TakeAsync(plan, page, batches, cancellationToken);
            // Newest first, a page entirely older than the floor means every later page is too; once the ids
            // were seen out of order nothing can be concluded, so every page is read.
            if (!sortIgnored && StopsAt(plan, page))
            {
                return new OrderScanResult(_pages, false, "newest_first", NotUsed);
            }
        }
        return oldestFirst is null
            ? new OrderScanResult(_pages, sortIgnored, sortIgnored ? "every_page" : "newest_first", NotUsed)
            : await ReadBackwardsAsync(plan, request, oldestFirst, batches, cancellationToken);
    }

    /// <summary>From the last page down, while each page is oldest first and older than the one after it (spec §2.4.1).</summary>
    private async Task<OrderScanResult> ReadBackwardsAsync(OrderScanPlan plan, OrderListRequest request, QticketsPage<QticketsOrder> first,
        ChannelWriter<List<QticketsOrder>> batches, CancellationToken cancellationToken)
    {
        progress.Report("the API ignored orderBy id desc and serves the oldest orders first: reading from the last page backwards");
        var unordered = false;
        long? newer = null;
        for (var number = (int)Math.Min(int.MaxValue, (first.Total + first.PerPage - 1) / Math.Max(1, first.PerPage)); number >= 2; number--)
        {
            var page = await source.GetOrderPageAsync(request, number, cancellationToken);
            unordered |= !Ascending(page.Items) || (newer is { } n && page.Items.Count > 0 && page.Items[^1].Id > n);
            newer = page.Items.Count > 0 ? page.Items[0].Id : newer;
            await TakeAsync(plan, page, batches, cancellationToken);
            if (!unordered && StopsAt(plan, page))
            {
                return new OrderScanResult(_pages, true, "backwards_from_last_page", NotUsed);
            }
        }
        await TakeAsync(plan, first, batches, cancellationToken);
        return new OrderScanResult(_pages, true, unordered ? "every_page" : "backwards_from_last_page", NotUsed);
    }

    private async Task TakeAsync(OrderScanPlan plan, QticketsPage<QticketsOrder> page, ChannelWriter<List<QticketsOrder>> batches, CancellationToken cancellationToken)
    {
        _pages++;
        _batch.AddRange(page.Items.Where(order => Wanted(plan, order) && _seen.Add(order.Id)));
        if (_batch.Count >= OrdersPerBatch)
        {
            await batches.WriteAsync(_batch, cancellationToken);
            _batch = new List<QticketsOrder>(OrdersPerBatch);
        }
        if (_pages % 10 == 1)
        {
            progress.Report($"{_pages} order page(s) fetched, {_seen.Count} order(s) kept");
        }
    }

    // The server's filters are unverified (spec §2.3), so the plan is applied here to whatever came back.
    private static bool Wanted(OrderScanPlan plan, QticketsOrder order) =>
        (plan.Window is not { } c || order.CreatedAt >= c || order.UpdatedAt >= c || order.PayedAt >= c)
        && (plan.Events is null || plan.Events.Contains(order.EventId));

    private static bool StopsAt(OrderScanPlan plan, QticketsPage<QticketsOrder> page) =>
        plan.Floor is { } floor && page.Items.Count > 0 && page.Items.All(o => o.CreatedAt < floor && o.UpdatedAt < floor);

    private static bool Ascending(IReadOnlyList<QticketsOrder> orders) => orders.Zip(orders.Skip(1)).All(p => p.First.Id < p.Second.Id);

    /// <summary>Moscow wall time, as the API's own timestamps read (spec §2.1 gives no format for where values).</summary>
    private static string MoscowTime(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, OrderWindow.Moscow).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    private static string Describe(OrderScanResult result) => result.Read switch
    {
        "updated_at_filter" => "the API honoured where updated_at: older orders' changes included",
        "newest_first" => "newest ids first",
        "backwards_from_last_page" => "the API ignored orderBy id desc: read from the last page backwards",
        _ => "the API ignored orderBy id desc: read every page",
    };
}
