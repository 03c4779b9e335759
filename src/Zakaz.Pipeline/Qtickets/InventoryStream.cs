using System.Collections.Concurrent;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.Qtickets;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// The inventory stream: a snapshot of seats of every upcoming show, several requests in flight at once; the
/// optional resources (discounts, promo codes) are read and reported, not stored.
/// </summary>
internal sealed class InventoryStream(IQticketsSource source, SourceProgress progress)
{
    public async Task<IReadOnlyCollection<QticketsInventoryRow>> ReadAsync(IReadOnlyList<QticketsEvent> events, EventMapper mapper, LoadStamp stamp, int concurrency,
        CancellationToken cancellationToken)
    {
        var snapshot = stamp.LoadedAt;
        var shows = events
            .Where(e => e.DeletedAt is null)
            .SelectMany(e => e.Shows.Where(s => s.DeletedAt is null && (s.FinishDate ?? s.StartDate ?? snapshot) >= snapshot).Select(s => (Event: e, Show: s)))
            .ToArray();
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
                progress.Report($"seats of show {item.Show.Id} skipped (HTTP {e.StatusCode})");
            }
        });
        progress.Report($"inventory of {rows.Count} of {shows.Length} upcoming show(s)");
        await ReportOptionalAsync("discounts", source.ListDiscountsAsync(cancellationToken));
        await ReportOptionalAsync("promo codes", source.ListPromoCodesAsync(cancellationToken));
        return rows;
    }

    private async Task ReportOptionalAsync<T>(string what, Task<OptionalResource<T>> fetch)
    {
        var resource = await fetch;
        progress.Report(resource.IsSkipped
            ? $"{what} skipped ({resource.SkippedReason})"
            : $"{resource.Items.Count} {what} (logged only, not stored)");
    }
}
