using Zakaz.Storage;

namespace Zakaz.Pipeline.Sync;

/// <summary>
/// Secrets the store generates for itself, in zakaz.meta_secrets (migration 0015), sealed with the store's key
/// (<see cref="StoreSecrets"/>) for their row: a value copied to another row does not open.
/// </summary>
internal sealed class GeneratedSecrets(IClickHouseStore store, TimeProvider? time = null)
{
    private const string NameMatch = "name = {name:String}";

    private static readonly string Sealed = StoreSecrets.SealedCondition("value");

    private static readonly RowSchema<Row> Schema = new RowSchema<Row>()
        .Column("name", "LowCardinality(String)", r => r.Name)
        .Column("value", "String", r => r.Value)
        .Column("updated_at", "DateTime('UTC')", r => r.UpdatedAt)
        .Column("_ver", "UInt64", r => r.Version);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// The secret, opened. One an earlier version kept (in clear, or sealed in meta_watermarks, whence migration 0015
    /// copied it) is sealed again for this table and its old rows deleted, unless <paramref name="readOnly"/> (a dry
    /// run writes nothing).
    /// </summary>
    public async Task<string?> ReadAsync(string name, bool readOnly, CancellationToken cancellationToken)
    {
        // Before anything else: a server store without its key says so here.
        store.Secrets.ThrowIfUnavailable();
        var result = await store.QueryAsync($"""
            SELECT value, _ver, (SELECT count() FROM zakaz.meta_secrets WHERE {NameMatch} AND NOT {Sealed}) AS clear_rows
            FROM zakaz.meta_secrets FINAL
            WHERE {NameMatch}
            """, Parameters(name), cancellationToken: cancellationToken);
        if (result.Rows.Count == 0)
        {
            return null;
        }
        var (secret, moved) = Open(result.Get<string>(0, 0), name);
        if (readOnly || (secret.WasSealed && !moved && result.Get<ulong>(0, 2) == 0))
        {
            return secret.Value;
        }
        var version = result.Get<ulong>(0, 1);
        var kept = secret.WasSealed && !moved ? version : await WriteAsync(name, secret.Value, cancellationToken, above: version);
        // Waits for the deletions, so no clear or old copy is left for a reader once this returns.
        await store.ExecuteAsync($"ALTER TABLE zakaz.meta_secrets DELETE WHERE {NameMatch} AND (NOT {Sealed} OR _ver < {{kept:UInt64}}) SETTINGS mutations_sync = 2",
            Parameters(name).Add("kept", kept), cancellationToken: cancellationToken);
        await store.ExecuteAsync("ALTER TABLE zakaz.meta_watermarks DELETE WHERE source = 'zakaz' AND stream = {name:String} SETTINGS mutations_sync = 2",
            Parameters(name), cancellationToken: cancellationToken);
        return secret.Value;
    }

    /// <summary>Stores <paramref name="value"/> sealed, with a version above <paramref name="above"/>; returns the version.</summary>
    public async Task<ulong> WriteAsync(string name, string value, CancellationToken cancellationToken, ulong above = 0)
    {
        var now = _time.GetUtcNow();
        var row = new Row(name, store.Secrets.Seal(value, Context(name)), now, Math.Max((ulong)now.ToUnixTimeMilliseconds(), above + 1));
        await store.InsertAsync("zakaz.meta_secrets", Schema, [row], cancellationToken: cancellationToken);
        return row.Version;
    }

    /// <summary>The value opened for this table, or else for the meta_watermarks row migration 0015 copied it from.</summary>
    private (OpenedSecret Secret, bool Moved) Open(string stored, string name)
    {
        try
        {
            return (store.Secrets.Open(stored, Context(name)), false);
        }
        catch (StoreSecretsException)
        {
            try
            {
                return (store.Secrets.Open(stored, $"zakaz.meta_watermarks.value of zakaz/{name}"), true);
            }
            catch (StoreSecretsException)
            {
            }
            throw;
        }
    }

    private static QueryParameters Parameters(string name) =>
        new QueryParameters().Add("name", name).Add("sealed_prefix", StoreSecrets.SealedPrefix);

    private static string Context(string name) => $"zakaz.meta_secrets.value of {name}";

    private sealed record Row(string Name, string Value, DateTimeOffset UpdatedAt, ulong Version);
}
