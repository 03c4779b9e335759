namespace Zakaz.Sources.VkAds;

/// <summary>What the sync reads from VK Ads (<see cref="VkAdsClient"/>): read-only by construction.</summary>
public interface IVkAdsSource
{
    /// <summary>Requests sent so far, token requests and retries included.</summary>
    int Requests { get; }

    int TokensMinted { get; }

    int TokensRefreshed { get; }

    Task<VkAdsAccount> GetAccountAsync(CancellationToken cancellationToken = default);

    /// <summary>Campaigns of every status.</summary>
    Task<IReadOnlyList<VkAdsAdPlan>> ListAdPlansAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VkAdsAdGroup>> ListAdGroupsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VkAdsBanner>> ListBannersAsync(CancellationToken cancellationToken = default);

    /// <summary>Day rows of every banner in <paramref name="bannerIds"/> from <paramref name="from"/> to <paramref name="to"/> (inclusive).</summary>
    Task<IReadOnlyList<VkAdsBannerDay>> GetBannerDaysAsync(IReadOnlyCollection<long> bannerIds, DateOnly from, DateOnly to,
        Action<string>? progress = null, CancellationToken cancellationToken = default);
}
