using Zakaz.Storage;

namespace Zakaz.Pipeline.Qtickets;

/// <summary>Values the Qtickets sync keeps between runs in zakaz.meta_watermarks, read with FINAL.</summary>
internal sealed class QticketsWatermarks(IClickHouseStore store)
{
    /// <summary>The start of the last successful incremental sync, ISO 8601.</summary>
    public static readonly (string Source, string Stream) Orders = ("qtickets", "orders");

    /// <summary>
    /// Sale dates whose staging rows a run changed but whose facts it has not rebuilt yet, comma-separated
    /// yyyy-MM-dd; empty once the facts are rebuilt (see <see cref="QticketsSync"/>).
    /// </summary>
    public static readonly (string Source, string Stream) PendingFactDates = ("qtickets", "pending_fact_dates");

    /// <summary>The generated buyer-key secret, hex, sealed with the store's key (see <see cref="QticketsOrderWriter"/>).</summary>
    public static readonly (string Source, string Stream) BuyerKeySecret = ("zakaz", "buyer_key_secret");

    private const string KeyMatch = "source = {source:String} AND stream = {stream:String}";

    private static readonly string Sealed = StoreSecrets.SealedCondition("value");

    private static readonly RowSchema<Mark> Schema = new RowSchema<Mark>()
        .Column("source", "LowCardinality(String)", r => r.Source)
        .Column("stream", "LowCardinality(String)", r => r.Stream)
        .Column("value", "String", r => r.Value)
        .Column("updated_at", "DateTime('UTC')", r => r.UpdatedAt)
        .Column("_ver", "UInt64", r => r.Version);

    public async Task<string?> ReadAsync((string Source, string Stream) key, CancellationToken cancellationToken)
    {
        var result = await store.QueryAsync(
            $"SELECT value FROM zakaz.meta_watermarks FINAL WHERE {KeyMatch}",
            new QueryParameters().Add("source", key.Source).Add("stream", key.Stream), cancellationToken: cancellationToken);
        return result.Rows.Count == 0 ? null : result.Get<string>(0, 0);
    }

    /// <summary>
    /// A secret value, opened with the store's key. One an earlier version stored in clear is sealed and
    /// stored again, and its clear rows deleted, unless <paramref name="readOnly"/> (a dry run writes nothing).
    /// </summary>
    public async Task<string?> ReadSecretAsync((string Source, string Stream) key, bool readOnly, CancellationToken cancellationToken)
    {
        // Before anything else: a server store without its key says so here.
        store.Secrets.ThrowIfUnavailable();
        var result = await store.QueryAsync($"""
            SELECT value, (SELECT count() FROM zakaz.meta_watermarks WHERE {KeyMatch} AND NOT {Sealed}) AS clear_rows
            FROM zakaz.meta_watermarks FINAL
            WHERE {KeyMatch}
            """, SecretParameters(key), cancellationToken: cancellationToken);
        if (result.Rows.Count == 0)
        {
            return null;
        }
        var secret = store.Secrets.Open(result.Get<string>(0, 0), Context(key));
        if (result.Get<ulong>(0, 1) > 0 && !readOnly)
        {
            if (!secret.WasSealed)
            {
                await WriteSecretAsync(key, secret.Value, cancellationToken);
            }
            // Waits for the deletion, so no clear copy is left for a reader once this returns.
            await store.ExecuteAsync($"ALTER TABLE zakaz.meta_watermarks DELETE WHERE {KeyMatch} AND NOT {Sealed} SETTINGS mutations_sync = 2",
                SecretParameters(key), cancellationToken: cancellationToken);
        }
        return secret.Value;
    }

    public Task WriteSecretAsync((string Source, string Stream) key, string value, CancellationToken cancellationToken) =>
        WriteAsync(key, store.Secrets.Seal(value, Context(key)), cancellationToken);

    public Task WriteAsync((string Source, string Stream) key, string value, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var mark = new Mark(key.Source, key.Stream, value, now, (ulong)now.ToUnixTimeMilliseconds());
        return store.InsertAsync("zakaz.meta_watermarks", Schema, [mark], cancellationToken: cancellationToken);
    }

    private static QueryParameters SecretParameters((string Source, string Stream) key) =>
        new QueryParameters().Add("source", key.Source).Add("stream", key.Stream).Add("sealed_prefix", StoreSecrets.SealedPrefix);

    /// <summary>Where a sealed value belongs: a value copied to another mark does not open.</summary>
    private static string Context((string Source, string Stream) key) => $"zakaz.meta_watermarks.value of {key.Source}/{key.Stream}";

    private sealed record Mark(string Source, string Stream, string Value, DateTimeOffset UpdatedAt, ulong Version);
}
