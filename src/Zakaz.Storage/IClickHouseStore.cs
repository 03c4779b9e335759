namespace Zakaz.Storage;

/// <summary>
/// One ClickHouse database engine as Zakaz sees it: the embedded chDB engine or a server reached
/// over HTTP. Both run the same SQL; callers never learn which one they talk to except through
/// <see cref="Kind"/> (for the few things only a server has, such as access management).
/// </summary>
public interface IClickHouseStore : IAsyncDisposable
{
    StoreKind Kind { get; }

    /// <summary>Where the data lives, safe to print: a data directory or a URL without its password.</summary>
    string Location { get; }

    /// <summary>The key that seals the secrets kept in this store's tables, kept beside the store (see <see cref="StoreSecrets"/>).</summary>
    StoreSecrets Secrets { get; }

    /// <summary>Runs a statement that returns no rows (DDL, INSERT ... SELECT, ALTER ...).</summary>
    Task ExecuteAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and returns its rows as typed values (see <see cref="QueryResult"/>).</summary>
    Task<QueryResult> QueryAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Runs a query and copies its output in the given ClickHouse format to <paramref name="destination"/> as it arrives.</summary>
    Task QueryToStreamAsync(string sql, string format, Stream destination, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Streams rows into a table as RowBinary and returns how many rows were written.</summary>
    Task<long> InsertAsync<T>(string table, RowSchema<T> schema, IEnumerable<T> rows, InsertOptions? options = null, CancellationToken cancellationToken = default);
}

public enum StoreKind
{
    /// <summary>chDB running inside this process on a local data directory.</summary>
    Embedded,

    /// <summary>A ClickHouse server reached over its HTTP interface.</summary>
    Server,
}
