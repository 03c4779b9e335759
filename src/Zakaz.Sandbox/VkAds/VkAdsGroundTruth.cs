namespace Zakaz.Sandbox.VkAds;

/// <summary>Spend, clicks and impressions as a loader must end up with them.</summary>
public readonly record struct AdFigures(decimal Spend, long Clicks, long Impressions)
{
    public static AdFigures operator +(AdFigures a, AdFigures b) => new(a.Spend + b.Spend, a.Clicks + b.Clicks, a.Impressions + b.Impressions);
}

/// <summary>The cabinet's statistics as a loader must end up with them (see <see cref="AdGroundTruth"/>).</summary>
public sealed class VkAdsGroundTruth : AdGroundTruth
{
    internal VkAdsGroundTruth(IEnumerable<(Banner Banner, DateOnly Date, DayStat Stat)> spent)
        : base(spent.Select(s => (s.Date, s.Banner.City, s.Banner.UtmSource, s.Banner.UtmCampaign, new AdFigures(s.Stat.Spent, s.Stat.Clicks, s.Stat.Shows))))
    {
    }
}
