namespace Zakaz.Storage;

/// <summary>
/// The embedded chDB engine or a server over HTTP: both run the same SQL, and only <see cref="Kind"/> tells
/// them apart (for the few things only a server has, such as access management).
/// </summary>
public interface IClickHouseStore : IAsyncDisposable
{
    StoreKind Kind { get; }

    /// <summary>Where the data lives, safe to print: a data directory or a URL without its password.</summary>
    string Location { get; }

    /// <summary>The key that seals the secrets kept in this store's tables, kept beside the store (see <see cref="StoreSecrets"/>).</summary>
    StoreSecrets Secrets { get; }

    Task ExecuteAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default);

    Task<QueryResult> QueryAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Copies the output in the given ClickHouse format to <paramref name="destination"/> as it arrives.</summary>
    Task QueryToStreamAsync(string sql, string format, Stream destination, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default);

    Task<long> InsertAsync<T>(string table, RowSchema<T> schema, IEnumerable<T> rows, InsertOptions? options = null, CancellationToken cancellationToken = default);
}

public enum StoreKind
{
    /// <summary>chDB running inside this process on a local data directory.</summary>
    Embedded,

    /// <summary>A ClickHouse server reached over its HTTP interface.</summary>
    Server,
}
