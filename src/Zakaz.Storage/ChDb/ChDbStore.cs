using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Zakaz.Storage.RowBinary;
using Zakaz.Storage.Text;

namespace Zakaz.Storage.ChDb;

/// <summary>The embedded engine. A chDB connection runs one statement at a time: a pool of them makes the store safe from many threads.</summary>
public sealed class ChDbStore : IClickHouseStore
{
    // A quarter of the engine's default insert block (about 1M rows or 256 MiB), which it squashes a streamed
    // insert into: 10M streamed rows then peak at about 440 MB instead of 515 MB (`zakaz bench insert`). Per-query settings override them.
    private static readonly Dictionary<string, string> ConnectionDefaults = new(StringComparer.Ordinal)
    {
        ["max_insert_block_size"] = "262144",
        ["min_insert_block_size_rows"] = "262144",
        ["min_insert_block_size_bytes"] = "33554432",
    };

    private readonly string _dataPath;
    private readonly Dictionary<string, string> _connectionDefaults;
    private readonly ConcurrentBag<nint> _idle = [];

    // Connections opened with per-query settings, kept by their settings: a caller that always sends
    // the same ones (the dashboard's readonly=1) reuses a connection instead of opening one per query.
    private readonly ConcurrentDictionary<string, ConcurrentBag<nint>> _idleWithSettings = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _slots;
    private readonly List<nint> _all = [];
    private bool _disposed;

    private ChDbStore(string dataPath, int maxConnections, string? backupDirectory)
    {
        (_dataPath, Secrets, _slots) = (dataPath, StoreSecrets.InDirectory(dataPath), new SemaphoreSlim(maxConnections, maxConnections));
        _connectionDefaults = new Dictionary<string, string>(ConnectionDefaults, StringComparer.Ordinal);
        if (backupDirectory is not null)
        {
            // Server configuration, not a setting: the engine reads it from the connection that starts it (the
            // first one on the data path after every earlier one closed); later connections' values are ignored.
            _connectionDefaults["backups.allowed_path"] = backupDirectory;
        }
        BackupDirectory = backupDirectory;
    }

    /// <summary>Where <see cref="BackupDatabaseAsync"/> may write and <see cref="RestoreDatabaseAsync"/> may read; null when backups are off.</summary>
    public string? BackupDirectory { get; }

    public StoreKind Kind => StoreKind.Embedded;

    public string Location => _dataPath;

    public StoreSecrets Secrets { get; }

    /// <summary>Keeps <paramref name="dataDirectory"/> owner-only; <paramref name="logger"/> hears once if it was not.</summary>
    /// <param name="backupDirectory">Enables <see cref="BackupDatabaseAsync"/>/<see cref="RestoreDatabaseAsync"/> for archives under it.
    /// It only takes effect when this store starts the engine, i.e. no other store has the same data directory open.</param>
    public static ChDbStore Open(string dataDirectory, string? libraryPath = null, int? maxConnections = null, ILogger? logger = null, string? backupDirectory = null)
    {
        OwnerOnly.RestrictNewFiles();
        var path = EmbeddedDataDirectory.Prepare(dataDirectory);
        if (OwnerOnly.Restrict(path) is { } widened)
        {
            logger?.LogWarning("{Widened}", widened);
        }
        ChDbEngine.Acquire(ChDbLibrary.Locate(libraryPath), path);
        if (backupDirectory is not null)
        {
            backupDirectory = Path.GetFullPath(backupDirectory);
            Directory.CreateDirectory(backupDirectory);
        }
        var store = new ChDbStore(path, maxConnections ?? Math.Max(4, Environment.ProcessorCount * 2), backupDirectory);
        try
        {
            // Open one connection now so a broken directory fails here, not at the first query.
            store._idle.Add(store.NewConnection(null));
            return store;
        }
        catch
        {
            ChDbEngine.Release();
            throw;
        }
    }

    public Task ExecuteAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Run(sql, "TabSeparated", parameters, options, cancellationToken, _ => 0));

    public Task<QueryResult> QueryAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
        Task.FromResult(Run(sql, "TabSeparatedWithNamesAndTypes", parameters, options, cancellationToken, TabSeparatedReader.Read));

    public Task QueryToStreamAsync(string sql, string format, Stream destination, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!RowByRowFormats.Contains(format))
        {
            WriteWhole(sql, format, destination, parameters, options, cancellationToken);
            return Task.CompletedTask;
        }
        try
        {
            StreamQuery(sql, format, destination, parameters, options, cancellationToken);
        }
        catch (ClickHouseException e) when (e.Code == BadArguments && e.ServerMessage.StartsWith("Streaming query is not supported", StringComparison.Ordinal))
        {
            // chDB streams only SELECT-like statements; anything else (DDL, SHOW CREATE...) answers in one piece.
            WriteWhole(sql, format, destination, parameters, options, cancellationToken);
        }
        return Task.CompletedTask;
    }

    // chDB's streaming query formats each chunk on its own, so a header (CSVWithNames), a footer or a
    // whole document (JSON, Pretty) would repeat per chunk: only formats made of independent rows stream.
    private static readonly HashSet<string> RowByRowFormats = new(StringComparer.OrdinalIgnoreCase)
    {
        "TabSeparated", "TSV", "TabSeparatedRaw", "TSVRaw", "CSV", "JSONEachRow", "JSONLines", "NDJSON", "JSONCompactEachRow",
        "JSONStringsEachRow", "RowBinary", "TSKV", "LineAsString",
    };

    private void WriteWhole(string sql, string format, Stream destination, QueryParameters? parameters, QueryOptions? options, CancellationToken cancellationToken) =>
        Run(sql, format, parameters, options, cancellationToken, data =>
        {
            destination.Write(data);
            return 0;
        });

    private const int BadArguments = 36;

    private unsafe void StreamQuery(string sql, string format, Stream destination, QueryParameters? parameters, QueryOptions? options, CancellationToken cancellationToken) =>
        WithConnection(options, connection => Consume(Call(connection, sql, format, parameters, ChDbNative.chdb_stream_query_with_params_n), options, result =>
        {
            while (true)
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    ChDbNative.chdb_stream_cancel_query(connection, result);
                    cancellationToken.ThrowIfCancellationRequested();
                }
                var length = Consume(ChDbNative.chdb_stream_fetch_result(connection, result), options, chunk =>
                {
                    var data = Buffer(chunk);
                    destination.Write(data);
                    return data.Length;
                });
                if (length == 0)
                {
                    return 0;
                }
            }
        }));

    public unsafe Task<long> InsertAsync<T>(string table, RowSchema<T> schema, IEnumerable<T> rows, InsertOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new InsertOptions();
        var statement = Encoding.UTF8.GetBytes($"INSERT INTO {StoreIdentifiers.Quote(table)} ({schema.ColumnList})");
        var format = "RowBinary"u8.ToArray();
        var queryOptions = new QueryOptions { Settings = options.Settings, QueryId = options.QueryId };
        return Task.FromResult(WithConnection(queryOptions, connection =>
        {
            nint stream;
            fixed (byte* q = statement, f = format)
            {
                stream = ChDbNative.chdb_stream_insert_n(connection, q, (nuint)statement.Length, f, (nuint)format.Length);
            }
            var finished = false;
            try
            {
                ThrowIfInsertError(stream);
                using var writer = new RowBinaryWriter(options.ChunkBytes + (options.ChunkBytes >> 2));
                long sent = 0, pending = 0;
                foreach (var row in rows)
                {
                    schema.Write(writer, row);
                    pending++;
                    if (writer.Length >= options.ChunkBytes)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        Append(stream, writer);
                        sent += pending;
                        pending = 0;
                        options.Progress?.Invoke(sent);
                    }
                }
                Append(stream, writer);
                sent += pending;
                var done = ChDbNative.chdb_stream_done(stream);
                finished = true;
                Consume(done, queryOptions, _ => 0);
                options.Progress?.Invoke(sent);
                return sent;
            }
            finally
            {
                if (!finished)
                {
                    ChDbNative.chdb_stream_cancel_insert(stream);
                }
                ChDbNative.chdb_destroy_insert_stream(stream);
            }
        }));
    }

    /// <summary>
    /// Writes <paramref name="database"/> to a new archive <paramref name="archivePath"/> (absolute; .tar or .tar.zst, or a
    /// directory name: this chDB build has no zip) inside <see cref="BackupDirectory"/>, while the store stays open; a
    /// <paramref name="baseArchivePath"/> makes it incremental. Returns the engine's answer (backup id and status).
    /// </summary>
    public unsafe Task<string> BackupDatabaseAsync(string database, string archivePath, string? baseArchivePath = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = Encoding.UTF8.GetBytes(database);
        var file = Encoding.UTF8.GetBytes(archivePath);
        var baseFile = baseArchivePath is null ? null : Encoding.UTF8.GetBytes(baseArchivePath);
        return Task.FromResult(WithConnection(null, connection =>
        {
            nint result;
            fixed (byte* n = name, f = file, b = baseFile)
            {
                result = ChDbNative.chdb_backup_database_n(connection, n, (nuint)name.Length, f, (nuint)file.Length, b, (nuint)(baseFile?.Length ?? 0));
            }
            return Answer(result);
        }));
    }

    /// <summary>
    /// Restores <paramref name="database"/> from <paramref name="archivePath"/> under the name it has in the archive. Its tables
    /// must not exist or be empty: the engine refuses to add to a table that holds rows (CANNOT_RESTORE_TABLE, 608).
    /// </summary>
    public unsafe Task<string> RestoreDatabaseAsync(string database, string archivePath, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var name = Encoding.UTF8.GetBytes(database);
        var file = Encoding.UTF8.GetBytes(archivePath);
        return Task.FromResult(WithConnection(null, connection =>
        {
            nint result;
            fixed (byte* n = name, f = file)
            {
                result = ChDbNative.chdb_restore_database_n(connection, n, (nuint)name.Length, f, (nuint)file.Length);
            }
            return Answer(result);
        }));
    }

    private static string Answer(nint result) =>
        result == 0
            ? throw new ClickHouseException(0, "chDB returned no result for the backup or restore.")
            : Consume(result, null, r => Encoding.UTF8.GetString(Buffer(r)).Trim());

    public ValueTask DisposeAsync()
    {
        lock (_all)
        {
            if (_disposed)
            {
                return ValueTask.CompletedTask;
            }
            _disposed = true;
            foreach (var connection in _all)
            {
                ChDbNative.chdb_close_conn(connection);
            }
            _all.Clear();
        }
        ChDbEngine.Release();
        return ValueTask.CompletedTask;
    }

    private static unsafe void Append(nint stream, RowBinaryWriter writer)
    {
        if (writer.Length == 0)
        {
            return;
        }
        fixed (byte* data = writer.WrittenSpan)
        {
            if (ChDbNative.chdb_stream_append(stream, data, (nuint)writer.Length) != 0)
            {
                ThrowIfInsertError(stream);
                throw new ClickHouseException(0, "chDB refused a chunk of the insert without saying why.");
            }
        }
        writer.Reset();
    }

    private static void ThrowIfInsertError(nint stream)
    {
        if (ChDbNative.Utf8(ChDbNative.chdb_stream_insert_error(stream)) is { } error)
        {
            throw ClickHouseErrorParser.Parse(error);
        }
    }

    private unsafe delegate nint QueryCall(nint connection, byte* query, nuint queryLength, byte* format, nuint formatLength,
        nint* names, nuint* nameLengths, nint* values, nuint* valueLengths, nuint count);

    private unsafe TResult Run<TResult>(string sql, string format, QueryParameters? parameters, QueryOptions? options, CancellationToken cancellationToken, SpanParser<TResult> parse)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return WithConnection(options, connection =>
            Consume(Call(connection, sql, format, parameters, ChDbNative.chdb_query_with_params_n), options, result => parse(Buffer(result))));
    }

    /// <summary>Reads a query result, freed afterwards whatever happens.</summary>
    private static TResult Consume<TResult>(nint result, QueryOptions? options, Func<nint, TResult> read)
    {
        try
        {
            ThrowIfError(result, options);
            return read(result);
        }
        finally
        {
            ChDbNative.chdb_destroy_query_result(result);
        }
    }

    private delegate TResult SpanParser<out TResult>(ReadOnlySpan<byte> data);

    private static unsafe ReadOnlySpan<byte> Buffer(nint result)
    {
        var pointer = ChDbNative.chdb_result_buffer(result);
        var length = (int)ChDbNative.chdb_result_length(result);
        return pointer == 0 ? [] : new ReadOnlySpan<byte>((void*)pointer, length);
    }

    private static unsafe nint Call(nint connection, string sql, string format, QueryParameters? parameters, QueryCall call)
    {
        var query = Encoding.UTF8.GetBytes(sql);
        var formatBytes = Encoding.UTF8.GetBytes(format);
        var rendered = parameters is null ? [] : parameters.Render(sql);
        var count = rendered.Count;
        // Every name, then every value: the first half of each array is the names', the second the values'.
        var texts = rendered.Select(p => p.Name).Concat(rendered.Select(p => p.Text ?? @"\N")).Select(Encoding.UTF8.GetBytes).ToArray();
        var pins = texts.Select(t => GCHandle.Alloc(t, GCHandleType.Pinned)).ToArray();
        try
        {
            var pointers = pins.Select(p => p.AddrOfPinnedObject()).ToArray();
            var lengths = texts.Select(t => (nuint)t.Length).ToArray();
            fixed (byte* q = query, f = formatBytes)
            fixed (nint* p = pointers)
            fixed (nuint* l = lengths)
            {
                var result = call(connection, q, (nuint)query.Length, f, (nuint)formatBytes.Length, p, l, p + count, l + count, (nuint)count);
                return result == 0 ? throw new ClickHouseException(0, "chDB returned no result for the query.") : result;
            }
        }
        finally
        {
            foreach (var pin in pins)
            {
                pin.Free();
            }
        }
    }

    private static void ThrowIfError(nint result, QueryOptions? options)
    {
        if (ChDbNative.Utf8(ChDbNative.chdb_result_error(result)) is { } error)
        {
            throw ClickHouseErrorParser.Parse(error, queryId: options?.QueryId);
        }
    }

    // chDB binds settings to a connection: a query with its own settings or timeout runs on one opened with those.
    private TResult WithConnection<TResult>(QueryOptions? options, Func<nint, TResult> work)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var settings = SettingsOf(options);
        var idle = settings is null
            ? _idle
            : _idleWithSettings.GetOrAdd(string.Join('\n', settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => s.Key + "=" + s.Value)), _ => []);
        _slots.Wait();
        var pointer = idle.TryTake(out var pooled) ? pooled : NewConnection(settings);
        try
        {
            return work(Marshal.ReadIntPtr(pointer));
        }
        finally
        {
            idle.Add(pointer);
            _slots.Release();
        }
    }

    private static Dictionary<string, string>? SettingsOf(QueryOptions? options)
    {
        if (options?.Settings is null && options?.Timeout is null)
        {
            return null;
        }
        var settings = new Dictionary<string, string>(options.Settings ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (options.Timeout is { } timeout)
        {
            settings["max_execution_time"] = Math.Max(1, (int)Math.Ceiling(timeout.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        return settings;
    }

    private nint NewConnection(IReadOnlyDictionary<string, string>? settings)
    {
        var merged = new Dictionary<string, string>(_connectionDefaults, StringComparer.Ordinal);
        foreach (var (name, value) in settings ?? new Dictionary<string, string>())
        {
            merged[name] = value;
        }
        var connection = ChDbEngine.Connect(_dataPath, merged);
        lock (_all)
        {
            _all.Add(connection);
        }
        return connection;
    }
}
