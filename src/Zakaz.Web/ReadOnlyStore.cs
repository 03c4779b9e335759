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
    private static readonly IReadOnlyDictionary<string, string> ReadOnly = new Dictionary<string, string> { ["readonly"] = "1" };

    public StoreKind Kind => store.Kind;

    public string Location => store.Location;

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

    private static QueryOptions Restrict(QueryOptions? options)
    {
        if (options?.Settings is not { Count: > 0 } settings)
        {
            return (options ?? new QueryOptions()) with { Settings = ReadOnly };
        }
        var merged = new Dictionary<string, string>(settings, StringComparer.Ordinal) { ["readonly"] = "1" };
        return options with { Settings = merged };
    }

    private static InvalidOperationException Refused() =>
        new("The dashboard's connection is read-only: it never writes to the store.");
}
