using Zakaz.Pipeline.VkAds;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Ads;

/// <summary>
/// An ad platform's staging as the code shared by every platform reads it: its ads with their names and UTM values, for
/// re-applying the mapping to stored rows by <see cref="AdId"/>, and its rows of <c>zakaz.dm_ads_daily</c>, which every
/// ROI view reads. A new platform is one more entry here; no view changes.
/// </summary>
/// <param name="StoredAdsSql">ad id, ad group id, campaign id, the ad's, group's and campaign's names, the five UTM values.</param>
/// <param name="MartSql">The platform's staging of <c>{from:Date}</c> to <c>{to:Date}</c> in the columns of <c>zakaz.dm_ads_daily</c>, before summing.</param>
internal sealed record AdPlatform(string Source, string Daily, string AdId, string StoredAdsSql, string MartSql)
{
    public static AdPlatform VkAds { get; } = new(AdSources.VkAds, VkAdsTables.Daily, "banner_id", $"""
        SELECT b.object_id, b.ad_group_id, b.ad_plan_id, b.name, g.name, p.name,
               toString(b.utm_source), toString(b.utm_medium), b.utm_campaign, b.utm_content, b.utm_term
        FROM (SELECT * FROM {VkAdsTables.Objects} FINAL WHERE object_type = 'banner') AS b
        LEFT JOIN (SELECT object_id, name FROM {VkAdsTables.Objects} FINAL WHERE object_type = 'ad_group') AS g ON g.object_id = b.ad_group_id
        LEFT JOIN (SELECT object_id, name FROM {VkAdsTables.Objects} FINAL WHERE object_type = 'ad_plan') AS p ON p.object_id = b.ad_plan_id
        """, Mart(AdSources.VkAds, VkAdsTables.Daily, "ad_plan_id", VkAdsTables.Objects, "ad_plan"));

    public static AdPlatform YandexDirect { get; } = new(AdSources.YandexDirect, YandexDirectTables.Daily, "ad_id", $"""
        SELECT a.object_id, a.ad_group_id, a.campaign_id, a.name, g.name, c.name,
               toString(a.utm_source), toString(a.utm_medium), a.utm_campaign, a.utm_content, a.utm_term
        FROM (SELECT * FROM {YandexDirectTables.Objects} FINAL WHERE object_type = 'ad') AS a
        LEFT JOIN (SELECT object_id, name FROM {YandexDirectTables.Objects} FINAL WHERE object_type = 'ad_group') AS g ON g.object_id = a.ad_group_id
        LEFT JOIN (SELECT object_id, name FROM {YandexDirectTables.Objects} FINAL WHERE object_type = 'campaign') AS c ON c.object_id = a.campaign_id
        """, Mart(AdSources.YandexDirect, YandexDirectTables.Daily, "campaign_id", YandexDirectTables.Objects, "campaign"));

    public static IReadOnlyList<AdPlatform> All { get; } = [VkAds, YandexDirect];

    public async Task<IReadOnlyList<AdFacts>> StoredAdsAsync(IClickHouseStore store, CancellationToken cancellationToken)
    {
        var result = await store.QueryAsync(StoredAdsSql, cancellationToken: cancellationToken);
        return Enumerable.Range(0, result.Rows.Count).Select(i => new AdFacts(Source,
            (long)result.Get<ulong>(i, 0), (long)result.Get<ulong>(i, 1), (long)result.Get<ulong>(i, 2),
            result.Get<string>(i, 3), result.Get<string?>(i, 4) ?? "", result.Get<string?>(i, 5) ?? "",
            new UtmValues(result.Get<string>(i, 6), result.Get<string>(i, 7), result.Get<string>(i, 8), result.Get<string>(i, 9), result.Get<string>(i, 10))))
            .ToList();
    }

    // Spend no rule assigned to a city stays visible under 'unknown', never dropped.
    private static string Mart(string source, string daily, string campaignId, string objects, string campaignType) => $"""
        SELECT s.stat_date AS stat_date, '{source}' AS source, coalesce(nullIf(lowerUTF8(trimBoth(toString(s.city))), ''), 'unknown') AS city,
               s.event_id AS event_id, s.{campaignId} AS campaign_id, n.name AS campaign_name,
               lowerUTF8(trimBoth(toString(s.utm_source))) AS utm_source, lowerUTF8(trimBoth(s.utm_campaign)) AS utm_campaign,
               s.impressions AS impressions, s.clicks AS clicks, s.spend AS spend
        FROM {daily} AS s FINAL
        LEFT JOIN (SELECT object_id, name FROM {objects} FINAL WHERE object_type = '{campaignType}') AS n ON n.object_id = s.{campaignId}
        WHERE s.stat_date BETWEEN {"{from:Date}"} AND {"{to:Date}"}
        """;
}
