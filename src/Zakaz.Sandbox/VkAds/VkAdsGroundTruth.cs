using System.Text.Encodings.Web;

namespace Zakaz.Sandbox.VkAds;

/// <summary>Spend, clicks and impressions as a loader must end up with them.</summary>
public readonly record struct AdFigures(decimal Spend, long Clicks, long Impressions)
{
    public static AdFigures operator +(AdFigures a, AdFigures b) => new(a.Spend + b.Spend, a.Clicks + b.Clicks, a.Impressions + b.Impressions);
}

/// <summary>
/// What the cabinet's statistics add up to, per Moscow day and city as the README's mapping conventions assign them
/// (<c>unknown</c> for spend none of them places), and per banner <c>utm_source</c>/<c>utm_campaign</c> ("" when untagged).
/// </summary>
public sealed class VkAdsGroundTruth
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    internal VkAdsGroundTruth(IEnumerable<(Banner Banner, DateOnly Date, DayStat Stat)> spent)
    {
        var byDayCity = new SortedDictionary<(DateOnly, string), AdFigures>();
        var byCampaign = new SortedDictionary<(string, string), AdFigures>();
        foreach ((Banner banner, DateOnly date, DayStat stat) in spent)
        {
            var figures = new AdFigures(stat.Spent, stat.Clicks, stat.Shows);
            byDayCity[(date, banner.City)] = byDayCity.GetValueOrDefault((date, banner.City)) + figures;
            byCampaign[(banner.UtmSource, banner.UtmCampaign)] = byCampaign.GetValueOrDefault((banner.UtmSource, banner.UtmCampaign)) + figures;
        }
        ByDayCity = byDayCity;
        ByCampaign = byCampaign;
        ByCity = byDayCity.GroupBy(p => p.Key.Item2).ToDictionary(g => g.Key, g => g.Aggregate(default(AdFigures), (sum, p) => sum + p.Value));
        Total = ByCity.Values.Aggregate(default(AdFigures), (sum, f) => sum + f);
    }

    public AdFigures Total { get; }

    public IReadOnlyDictionary<string, AdFigures> ByCity { get; }

    public IReadOnlyDictionary<(DateOnly Date, string City), AdFigures> ByDayCity { get; }

    public IReadOnlyDictionary<(string UtmSource, string UtmCampaign), AdFigures> ByCampaign { get; }

    public string ToJson() => JsonSerializer.Serialize(new
    {
        currency = "RUB",
        spend = Money(Total.Spend),
        clicks = Total.Clicks,
        impressions = Total.Impressions,
        by_city = ByCity.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new
        {
            city = p.Key,
            spend = Money(p.Value.Spend),
            clicks = p.Value.Clicks,
            impressions = p.Value.Impressions,
        }),
        by_day_city = ByDayCity.Select(p => new
        {
            date = p.Key.Date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            city = p.Key.City,
            spend = Money(p.Value.Spend),
            clicks = p.Value.Clicks,
            impressions = p.Value.Impressions,
        }),
        by_campaign = ByCampaign.Select(p => new
        {
            utm_source = p.Key.UtmSource,
            utm_campaign = p.Key.UtmCampaign,
            spend = Money(p.Value.Spend),
            clicks = p.Value.Clicks,
            impressions = p.Value.Impressions,
        }),
    }, JsonOptions);

    private static string Money(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
