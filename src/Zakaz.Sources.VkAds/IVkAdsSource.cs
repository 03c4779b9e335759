namespace Zakaz.Sources.VkAds;

/// <summary>
/// What the sync reads from VK Ads (<see cref="VkAdsClient"/>): the account, its objects and banner day
/// statistics. Read-only by construction: no method here can change anything in the cabinet.
/// </summary>
public interface IVkAdsSource
{
    /// <summary>API requests sent so far, renewals included.</summary>
    int Requests { get; }

    int TokensMinted { get; }

    int TokensRefreshed { get; }

    Task<VkAdsAccount> GetAccountAsync(CancellationToken cancellationToken = default);

    /// <summary>Every campaign (ad plan), deleted ones included.</summary>
    Task<IReadOnlyList<VkAdsAdPlan>> ListAdPlansAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VkAdsAdGroup>> ListAdGroupsAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<VkAdsBanner>> ListBannersAsync(CancellationToken cancellationToken = default);

    /// <summary>Day statistics of the banners from <paramref name="from"/> to <paramref name="to"/>, Moscow days.</summary>
    Task<IReadOnlyList<VkAdsBannerDay>> GetBannerDaysAsync(IReadOnlyCollection<long> bannerIds, DateOnly from, DateOnly to,
        IProgress<string>? progress = null, CancellationToken cancellationToken = default);
}
