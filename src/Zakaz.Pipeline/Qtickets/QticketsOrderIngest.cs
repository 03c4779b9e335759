using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>
/// The webhook's ingest is the sync's order writer, one order at a time: the same buyer keys, row
/// versions and sale dates to rebuild whichever way an order came (see <see cref="QticketsOrderWriter"/>).
/// </summary>
/// <param name="written">
/// Called once an order may have changed the store: it was stored, or the write failed part-way. The
/// dashboard drops its kept answers then, and only then (a delivery of an older version changes nothing).
/// </param>
public sealed class QticketsOrderIngest(IClickHouseStore store, QticketsOptions options, TimeProvider? time = null, Action? written = null) : IQticketsOrderIngest
{
    private readonly QticketsOrderWriter _writer = new(store, options, time);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<bool> IngestAsync(QticketsOrder order, CancellationToken cancellationToken)
    {
        bool? applied = null;
        try
        {
            applied = await _writer.WriteOneAsync(order, _time.GetUtcNow(), cancellationToken);
            return applied.Value;
        }
        finally
        {
            if (applied != false)
            {
                written?.Invoke();
            }
        }
    }
}

/// <summary>Stores one order as received and brings the facts of its sale dates up to date.</summary>
public interface IQticketsOrderIngest
{
    /// <summary>
    /// Returns once the order and the facts are committed: true when it was applied, false when the
    /// store already holds a newer version of it (a late or repeated delivery), which changes nothing.
    /// </summary>
    Task<bool> IngestAsync(QticketsOrder order, CancellationToken cancellationToken);
}
