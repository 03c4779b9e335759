using Zakaz.Configuration;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Web.Qtickets;

/// <summary>
/// The webhook's ingest is the sync's order writer, one order at a time: the same buyer keys, row
/// versions and sale dates to rebuild whichever way an order came (see <see cref="QticketsOrderWriter"/>).
/// </summary>
public sealed class QticketsOrderIngest(IClickHouseStore store, QticketsOptions options, TimeProvider? time = null) : IQticketsOrderIngest
{
    private readonly QticketsOrderWriter _writer = new(store, options);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task<bool> IngestAsync(QticketsOrder order, CancellationToken cancellationToken) =>
        _writer.WriteOneAsync(order, _time.GetUtcNow(), cancellationToken);
}
