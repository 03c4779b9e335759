using Zakaz.Storage;

namespace Zakaz.Web;

/// <summary>
/// A store the dashboard cannot write through: every query carries ClickHouse's <c>readonly=1</c>,
/// so the engine itself refuses a write, and the writing members throw before reaching it. With the
/// embedded store this is the dashboard's connection (chDB has no users); the store it wraps stays
/// open for the scheduler and the webhook, and is not disposed here.
/// </summary>
public sealed class ReadOnlyStore(IClickHouseStore store) : IClickHouseStore
{
    /// <summary>
    /// What every dashboard query on the embedded store runs with. Besides <c>readonly</c>: FINAL
    /// collapses versions within each partition only. Every versioned table is partitioned by a key
    /// column or by a timestamp that never changes for a key (an order's created_at, a run's
    /// started_at), so all versions of a row share a partition and the answer is the same; the engine
    /// only applies this by itself when the partition column is in ORDER BY. It makes the FINAL read
    /// of a year of staged orders (bi.v_ops_freshness, in every page's header) about ten times cheaper.
    /// A page makes five to seven calls at once, so each query gets a share of the cores rather than
    /// all of them: on two cores, one thread per query is faster than two that merge their halves
    /// (`zakaz bench dashboard`).
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> EmbeddedReader = new Dictionary<string, string>
    {
        ["readonly"] = "1",
        ["do_not_merge_across_partitions_select_final"] = "1",
        ["max_threads"] = Math.Max(1, Environment.ProcessorCount / 4).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    // On a server the reader user's own profile holds its settings; readonly=1 is this store's promise.
    private static readonly IReadOnlyDictionary<string, string> ServerReader = new Dictionary<string, string> { ["readonly"] = "1" };

    private readonly IReadOnlyDictionary<string, string> _reader = store.Kind == StoreKind.Embedded ? EmbeddedReader : ServerReader;

    public StoreKind Kind => store.Kind;

    public string Location => store.Location;

    public StoreSecrets Secrets => store.Secrets;

    public Task ExecuteAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        throw Refused();

    public Task<QueryResult> QueryAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        store.QueryAsync(sql, parameters, Restrict(options), cancellationToken);

    public Task QueryToStreamAsync(string sql, string format, Stream destination, QueryParameters? parameters = null, QueryOptions? options = null,
        CancellationToken cancellationToken = default) =>
        store.QueryToStreamAsync(sql, format, destination, parameters, Restrict(options), cancellationToken);

    public Task<long> InsertAsync<T>(string table, RowSchema<T> schema, IEnumerable<T> rows, InsertOptions? options = null, CancellationToken cancellationToken = default) =>
        throw Refused();

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private QueryOptions Restrict(QueryOptions? options)
    {
        if (options?.Settings is not { Count: > 0 } settings)
        {
            return (options ?? new QueryOptions()) with { Settings = _reader };
        }
        var merged = new Dictionary<string, string>(settings, StringComparer.Ordinal);
        foreach (var (name, value) in _reader)
        {
            merged[name] = value;
        }
        return options with { Settings = merged };
    }

    private static InvalidOperationException Refused() =>
        new("The dashboard's connection is read-only: it never writes to the store.");
}
