using System.Buffers;
using System.Globalization;
using System.Text.Json;

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

    public string ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            writer.WriteStartObject();
            writer.WriteString("currency", "RUB");
            Write(writer, Total);
            writer.WriteStartArray("by_city");
            foreach (var (city, figures) in ByCity.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WriteStartObject();
                writer.WriteString("city", city);
                Write(writer, figures);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("by_day_city");
            foreach (var ((date, city), figures) in ByDayCity)
            {
                writer.WriteStartObject();
                writer.WriteString("date", date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                writer.WriteString("city", city);
                Write(writer, figures);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteStartArray("by_campaign");
            foreach (var ((source, campaign), figures) in ByCampaign)
            {
                writer.WriteStartObject();
                writer.WriteString("utm_source", source);
                writer.WriteString("utm_campaign", campaign);
                Write(writer, figures);
                writer.WriteEndObject();
            }
            writer.WriteEndArray();
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter writer, AdFigures figures)
    {
        writer.WriteString("spend", figures.Spend.ToString("0.00", CultureInfo.InvariantCulture));
        writer.WriteNumber("clicks", figures.Clicks);
        writer.WriteNumber("impressions", figures.Impressions);
    }
}
