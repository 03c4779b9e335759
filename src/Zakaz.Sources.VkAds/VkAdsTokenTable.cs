using Zakaz.Storage;

namespace Zakaz.Sources.VkAds;

/// <summary>Whose token it is (spec §1): the API host, the app's client id and the agency client ("" for the app's own account).</summary>
public readonly record struct VkAdsTokenKey(string Host, string ClientId, string AgencyClient);

/// <summary>An access token with what renews it; <see cref="ExpiresAt"/> is UTC.</summary>
public sealed record VkAdsToken(string AccessToken, string RefreshToken, DateTimeOffset ExpiresAt);

/// <summary>Where tokens outlive a run: the platform allows five live tokens per client, so minting one per run is not an option.</summary>
public interface IVkAdsTokenStore
{
    Task<VkAdsToken?> ReadAsync(VkAdsTokenKey key, CancellationToken cancellationToken);

    Task WriteAsync(VkAdsTokenKey key, VkAdsToken token, CancellationToken cancellationToken);
}

/// <summary>Tokens in <c>zakaz.meta_oauth_tokens</c> (migration 0009), one row per key, the latest version wins.</summary>
public sealed class VkAdsTokenTable(IClickHouseStore store) : IVkAdsTokenStore
{
    private const string Table = "zakaz.meta_oauth_tokens";

    private static readonly RowSchema<Row> Schema = new RowSchema<Row>()
        .Column("host", "String", r => r.Key.Host)
        .Column("client_id", "String", r => r.Key.ClientId)
        .Column("agency_client", "String", r => r.Key.AgencyClient)
        .Column("access_token", "String", r => r.Token.AccessToken)
        .Column("refresh_token", "String", r => r.Token.RefreshToken)
        .Column("expires_at", "DateTime('UTC')", r => r.Token.ExpiresAt)
        .Column("_ver", "UInt64", r => r.Version)
        .Column("_updated_at", "DateTime('UTC')", r => r.UpdatedAt);

    private long _lastVersion;

    public async Task<VkAdsToken?> ReadAsync(VkAdsTokenKey key, CancellationToken cancellationToken)
    {
        var result = await store.QueryAsync(
            $"SELECT access_token, refresh_token, expires_at FROM {Table} FINAL WHERE host = {{host:String}} AND client_id = {{client:String}} AND agency_client = {{agency:String}}",
            new QueryParameters().Add("host", key.Host).Add("client", key.ClientId).Add("agency", key.AgencyClient),
            cancellationToken: cancellationToken);
        return result.Rows.Count == 0
            ? null
            : new VkAdsToken(result.Get<string>(0, 0), result.Get<string>(0, 1), result.Get<DateTimeOffset>(0, 2));
    }

    public Task WriteAsync(VkAdsTokenKey key, VkAdsToken token, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        // Two renewals within one millisecond must still order correctly.
        var version = Math.Max(now.ToUnixTimeMilliseconds() * 1000, Interlocked.Read(ref _lastVersion) + 1);
        Interlocked.Exchange(ref _lastVersion, version);
        return store.InsertAsync(Table, Schema, [new Row(key, token, (ulong)version, now)], cancellationToken: cancellationToken);
    }

    private sealed record Row(VkAdsTokenKey Key, VkAdsToken Token, ulong Version, DateTimeOffset UpdatedAt);
}
