namespace Zakaz.Sources.VkAds;

/// <summary>The account behind the token (<c>user.json</c>): spend is in its currency.</summary>
public sealed record VkAdsAccount(long Id, string Username, string Currency);

public sealed record VkAdsAdPlan(long Id, string Name, string Status);

/// <summary>An ad group; <see cref="Utm"/> is the query string VK appends to its banners' links ("" when none).</summary>
public sealed record VkAdsAdGroup(long Id, long AdPlanId, string Name, string Status, string Utm);

/// <summary>A banner with its target URLs, the <c>primary</c> slot first; in-VK targets may have none.</summary>
public sealed record VkAdsBanner(long Id, long AdGroupId, string Name, string Status, IReadOnlyList<string> Urls)
{
    public string TargetUrl => Urls.Count == 0 ? "" : Urls[0];
}

/// <summary>One banner's figures for one day (<c>metrics=base</c>); zero days are kept so restatements to zero land.</summary>
public sealed record VkAdsBannerDay(long BannerId, DateOnly Date, long Shows, long Clicks, decimal Spent, long Goals);
