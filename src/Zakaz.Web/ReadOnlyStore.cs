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
    /// What every dashboard query on the embedded store runs with. FINAL within each partition only gives
    /// the same answer, as every versioned table is partitioned by a key column or a timestamp that never
    /// changes for a key (the engine infers that only from ORDER BY), and makes the FINAL read of a year of
    /// facts and marts (every page's tables and charts) much cheaper. A page makes five
    /// to seven calls at once: on two cores, one thread per query beats two (`zakaz bench dashboard`).
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

    private QueryOptions Restrict(QueryOptions? options) => (options ?? new QueryOptions()) with
    {
        Settings = options?.Settings is { Count: > 0 } settings
            ? new Dictionary<string, string>(settings.Where(s => !_reader.ContainsKey(s.Key)).Concat(_reader), StringComparer.Ordinal)
            : _reader,
    };

    private static InvalidOperationException Refused() =>
        new("The dashboard's connection is read-only: it never writes to the store.");
}
