using Zakaz.Sources.VkAds;
using Zakaz.Storage;

namespace Zakaz.Pipeline.VkAds;

/// <summary>
/// Tokens in <c>zakaz.meta_oauth_tokens</c> (migration 0009), one row per key, the latest version wins. Both tokens
/// are sealed with the store's key (<see cref="StoreSecrets"/>), so a reader of the table cannot call the API with them.
/// </summary>
public sealed class VkAdsTokenTable(IClickHouseStore store, TimeProvider? time = null) : IVkAdsTokenStore
{
    private const string Table = "zakaz.meta_oauth_tokens";
    private const string KeyMatch = "host = {host:String} AND client_id = {client:String} AND agency_client = {agency:String}";

    private static readonly string Sealed = StoreSecrets.SealedCondition("access_token", "refresh_token");

    private static readonly RowSchema<Row> Schema = new RowSchema<Row>()
        .Column("host", "String", r => r.Key.Host)
        .Column("client_id", "String", r => r.Key.ClientId)
        .Column("agency_client", "String", r => r.Key.AgencyClient)
        .Column("access_token", "String", r => r.AccessToken)
        .Column("refresh_token", "String", r => r.RefreshToken)
        .Column("expires_at", "DateTime('UTC')", r => r.ExpiresAt)
        .Column("_ver", "UInt64", r => r.Version)
        .Column("_updated_at", "DateTime('UTC')", r => r.UpdatedAt);

    private long _lastVersion;

    /// <summary>
    /// The stored token. One an earlier version stored in clear is sealed and stored again, and every
    /// clear row of its key deleted, before it is returned.
    /// </summary>
    public async Task<VkAdsToken?> ReadAsync(VkAdsTokenKey key, CancellationToken cancellationToken)
    {
        // Before anything else: a server store without its key must fail here, not after a token was minted and could not be kept.
        store.Secrets.ThrowIfUnavailable();
        var result = await store.QueryAsync($"""
            SELECT access_token, refresh_token, expires_at,
                (SELECT count() FROM {Table} WHERE {KeyMatch} AND NOT {Sealed}) AS clear_rows
            FROM {Table} FINAL
            WHERE {KeyMatch}
            """, Parameters(key), cancellationToken: cancellationToken);
        if (result.Rows.Count == 0)
        {
            return null;
        }
        var access = store.Secrets.Open(result.Get<string>(0, 0), Context(key, "access_token"));
        var refresh = store.Secrets.Open(result.Get<string>(0, 1), Context(key, "refresh_token"));
        var token = new VkAdsToken(access.Value, refresh.Value, result.Get<DateTimeOffset>(0, 2));
        if (result.Get<ulong>(0, 3) > 0)
        {
            if (!access.WasSealed || !refresh.WasSealed)
            {
                await WriteAsync(key, token, cancellationToken);
            }
            // Waits for the deletion, so no clear copy is left for a reader once this returns.
            await store.ExecuteAsync($"ALTER TABLE {Table} DELETE WHERE {KeyMatch} AND NOT {Sealed} SETTINGS mutations_sync = 2",
                Parameters(key), cancellationToken: cancellationToken);
        }
        return token;
    }

    public Task WriteAsync(VkAdsTokenKey key, VkAdsToken token, CancellationToken cancellationToken)
    {
        var now = (time ?? TimeProvider.System).GetUtcNow();
        // Two renewals within one millisecond must still order correctly.
        var version = Math.Max(now.ToUnixTimeMilliseconds() * 1000, Interlocked.Read(ref _lastVersion) + 1);
        Interlocked.Exchange(ref _lastVersion, version);
        var row = new Row(key, store.Secrets.Seal(token.AccessToken, Context(key, "access_token")),
            store.Secrets.Seal(token.RefreshToken, Context(key, "refresh_token")), token.ExpiresAt, (ulong)version, now);
        return store.InsertAsync(Table, Schema, [row], cancellationToken: cancellationToken);
    }

    private static QueryParameters Parameters(VkAdsTokenKey key) => new QueryParameters()
        .Add("host", key.Host).Add("client", key.ClientId).Add("agency", key.AgencyClient).Add("sealed_prefix", StoreSecrets.SealedPrefix);

    /// <summary>Where a sealed value belongs: a value copied to another key or column does not open.</summary>
    private static string Context(VkAdsTokenKey key, string column) => $"{Table}.{column} of {key.Host} client {key.ClientId}{(key.AgencyClient.Length > 0 ? $" agency client {key.AgencyClient}" : "")}";

    private sealed record Row(VkAdsTokenKey Key, string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt, ulong Version, DateTimeOffset UpdatedAt);
}
