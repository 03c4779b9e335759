using Zakaz.Storage;

namespace Zakaz.Pipeline.Facts;

/// <summary>
/// <c>zakaz.fact_qtickets_inventory_latest</c>, rewritten from the inventory snapshots in staging by the
/// Qtickets sync and by the Google Sheets fallback. Qtickets snapshots are per show; a sheet's are per
/// event (show_id 0) and count only for events Qtickets has no snapshot for.
/// </summary>
public sealed class InventoryLatest(IClickHouseStore store)
{
    public const string Table = "zakaz.fact_qtickets_inventory_latest";

    /// <summary>Event-level snapshots from a spreadsheet carry this show id.</summary>
    public const ulong WholeEvent = 0;

    // Per event, the sum over its shows that are not deleted of each show's latest snapshot (or the
    // sheet's latest snapshot of the whole event). The tuple keeps argMax from skipping a snapshot
    // whose counts are NULL (unknown is not zero).
    private const string RebuildSql = """
        INSERT INTO zakaz.fact_qtickets_inventory_latest (snapshot_ts, event_id, event_name, city, tickets_total, tickets_left, _ver)
        SELECT max(s.latest.1), s.event_id, any(e.event_name), if(any(e.city) = '', any(s.city), any(e.city)), sum(s.latest.2), sum(s.latest.3), {ver:UInt64}
        FROM
        (
            SELECT event_id, show_id, any(city) AS city, argMax((snapshot_ts, tickets_total, tickets_left), snapshot_ts) AS latest
            FROM zakaz.stg_qtickets_api_inventory_raw FINAL
            GROUP BY event_id, show_id
        ) AS s
        LEFT JOIN (SELECT event_id, event_name, city FROM zakaz.dim_events FINAL) AS e ON e.event_id = s.event_id
        WHERE s.show_id IN (SELECT show_id FROM zakaz.dim_shows FINAL WHERE deleted = 0)
           OR (s.show_id = 0 AND s.event_id NOT IN (SELECT event_id FROM zakaz.stg_qtickets_api_inventory_raw WHERE show_id != 0))
        GROUP BY s.event_id
        """;

    public async Task<long> RebuildAsync(ulong version, CancellationToken cancellationToken = default)
    {
        var parameters = new QueryParameters().Add("ver", version);
        await store.ExecuteAsync(RebuildSql, parameters, cancellationToken: cancellationToken);
        var written = await store.QueryAsync("SELECT count() FROM zakaz.fact_qtickets_inventory_latest FINAL WHERE _ver = {ver:UInt64}",
            parameters, cancellationToken: cancellationToken);
        return checked((long)written.Scalar<ulong>());
    }

    /// <summary>Events that Qtickets reports seats for: a sheet's inventory does not apply to them.</summary>
    public async Task<IReadOnlySet<ulong>> EventsWithQticketsInventoryAsync(CancellationToken cancellationToken = default)
    {
        var result = await store.QueryAsync("SELECT DISTINCT event_id FROM zakaz.stg_qtickets_api_inventory_raw WHERE show_id != 0",
            cancellationToken: cancellationToken);
        return result.Rows.Select(r => (ulong)r[0]!).ToHashSet();
    }
}
