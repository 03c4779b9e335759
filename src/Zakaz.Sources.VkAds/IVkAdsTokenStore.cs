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
