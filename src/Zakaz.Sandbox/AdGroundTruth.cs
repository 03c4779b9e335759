using System.Text.Encodings.Web;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Sandbox;

/// <summary>
/// What an ad platform sandbox's statistics add up to, per Moscow day and city as the README's mapping conventions
/// assign them (<c>unknown</c> for spend none of them places), and per effective <c>utm_source</c>/<c>utm_campaign</c>
/// ("" when untagged). The VK Ads and Yandex Direct sandboxes share the shape, so one loader check reads both.
/// </summary>
public abstract class AdGroundTruth
{
    private static readonly JsonSerializerOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private protected AdGroundTruth(IEnumerable<(DateOnly Date, string City, string UtmSource, string UtmCampaign, AdFigures Figures)> spent)
    {
        var byDayCity = new SortedDictionary<(DateOnly, string), AdFigures>();
        var byCampaign = new SortedDictionary<(string, string), AdFigures>();
        foreach ((DateOnly date, string city, string utmSource, string utmCampaign, AdFigures figures) in spent)
        {
            byDayCity[(date, city)] = byDayCity.GetValueOrDefault((date, city)) + figures;
            byCampaign[(utmSource, utmCampaign)] = byCampaign.GetValueOrDefault((utmSource, utmCampaign)) + figures;
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
