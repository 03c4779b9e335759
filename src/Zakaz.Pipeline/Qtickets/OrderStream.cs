using System.Threading.Channels;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.Qtickets;

namespace Zakaz.Pipeline.Qtickets;

internal sealed record OrderStreamResult(OrderScanResult Scan, long OrderRows, long TicketRows, SortedSet<DateOnly> Dates, IReadOnlyList<string> Samples);

/// <summary>
/// The orders stream's writing: batches mapped and written while later pages are still fetched, so memory stays flat.
/// Before a batch is written, the sale dates it touches (old and new) join a journal in the stream's state, cleared
/// only once the sync rebuilt their facts, so no changed date is missed, even by a run that fails or is killed.
/// </summary>
internal sealed class OrderStream(IQticketsSource source, QticketsOrderWriter orders, StreamState state, SourceProgress progress)
{
    /// <summary>
    /// Sale dates whose staging rows a run changed but whose facts it has not rebuilt yet, comma-separated
    /// yyyy-MM-dd; empty once the facts are rebuilt.
    /// </summary>
    public static readonly StreamKey PendingFactDates = new("qtickets", "pending_fact_dates");

    public const int SampleRows = 3;

    /// <summary>Reads the orders of <paramref name="plan"/>, mapping and writing them while the next pages are fetched; the dates include the journal's.</summary>
    public async Task<OrderStreamResult> ReadAsync(OrderScanPlan plan, bool dryRun, DateTimeOffset loadedAt, CancellationToken cancellationToken)
    {
        var writer = new OrderBatchWriter(this, orders, await orders.MapperAsync(dryRun, cancellationToken), dryRun, loadedAt);
        if (!dryRun)
        {
            writer.Dates.UnionWith(await ReadJournalAsync(cancellationToken));
        }
        var scan = await FetchAsync(plan, writer, cancellationToken);
        return new OrderStreamResult(scan, writer.OrderRows, writer.TicketRows, writer.Dates, writer.Samples);
    }

    /// <summary>Once the facts of the journal's dates are rebuilt.</summary>
    public Task ClearJournalAsync(CancellationToken cancellationToken) => state.WriteAsync(PendingFactDates, "", cancellationToken);

    private async Task<OrderScanResult> FetchAsync(OrderScanPlan plan, OrderBatchWriter writer, CancellationToken cancellationToken)
    {
        var batches = Channel.CreateBounded<List<QticketsOrder>>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writing = writer.ConsumeAsync(batches.Reader, stop);
        var reading = new QticketsOrderScan(source, progress).ReadAsync(plan, batches.Writer, stop.Token);
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

    private async Task<IReadOnlyList<DateOnly>> ReadJournalAsync(CancellationToken cancellationToken)
    {
        var text = await state.ReadAsync(PendingFactDates, cancellationToken);
        var dates = string.IsNullOrEmpty(text)
            ? []
            : text.Split(',').Select(d => DateOnly.ParseExact(d, "yyyy-MM-dd", CultureInfo.InvariantCulture)).ToArray();
        if (dates.Length > 0)
        {
            progress.Report($"{dates.Length} sale date(s) left by an unfinished run are rebuilt too");
        }
        return dates;
    }

    private void Report(string message) => progress.Report(message);

    private Task WriteJournalAsync(IEnumerable<DateOnly> dates, CancellationToken cancellationToken) =>
        state.WriteAsync(PendingFactDates, string.Join(',', dates.Select(d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))), cancellationToken);

    /// <summary>Maps and writes batches of orders as they arrive, extending the journal before each batch is stored.</summary>
    private sealed class OrderBatchWriter(OrderStream stream, QticketsOrderWriter orders, OrderMapper mapper, bool dryRun, DateTimeOffset loadedAt)
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
                stream.Report(warning);
            }
            var orderRows = mapped.Select(m => m.Order).ToArray();
            var ticketRows = mapped.SelectMany(m => m.Tickets).ToArray();
            foreach (var o in orderRows.Take(SampleRows - Samples.Count))
            {
                Samples.Add($"order {o.OrderId}: event {o.EventId}, paid {o.PayedAt:yyyy-MM-dd HH:mm zzz}, {o.TicketsSold} ticket(s), revenue {o.Revenue:0.00}, utm_source '{o.UtmSource}'");
            }
            var before = Dates.Count;
            Dates.UnionWith(await orders.TouchedDatesAsync(orderRows, cancellationToken));
            OrderRows += orderRows.Length;
            TicketRows += ticketRows.Length;
            if (dryRun)
            {
                return;
            }
            if (Dates.Count != before)
            {
                await stream.WriteJournalAsync(Dates, cancellationToken);
            }
            await orders.WriteAsync(orderRows, ticketRows, cancellationToken);
            stream.Report($"{OrderRows} order(s) and {TicketRows} ticket(s) written to staging");
        }
    }
}
