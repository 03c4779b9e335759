using System.Text.RegularExpressions;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Sandbox.Tests.YandexDirect;

/// <summary>
/// The truth against what a client can see: the objects' links and tracking parameters, mapped by the README's
/// conventions written out again here, and the report rows; both must give the truth's figures to the kopeck.
/// </summary>
[Collection(DirectCollection.Name)]
public sealed partial class GroundTruthTests(DirectFixture fixture)
{
    /// <summary>The city codes of <c>0004_city_aliases.sql</c> that the generated campaigns use.</summary>
    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["msk"] = "москва",
        ["spb"] = "санкт-петербург",
        ["ekb"] = "екатеринбург",
        ["nsk"] = "новосибирск",
        ["kzn"] = "казань",
        ["nnov"] = "нижний новгород",
        ["rnd"] = "ростов-на-дону",
        ["smr"] = "самара",
        ["tomsk"] = "томск",
        ["krd"] = "краснодар",
        ["perm"] = "пермь",
        ["vrn"] = "воронеж",
    };

    private readonly DirectClient _client = fixture.Client;

    [Fact]
    public async Task Mapping_the_served_links_by_the_conventions_gives_the_truth_by_day_city_and_campaign()
    {
        Dictionary<long, JsonElement> campaigns = (await _client.GetAsync("campaigns", new
        {
            SelectionCriteria = new { },
            FieldNames = new[] { "Id", "Name" },
            TextCampaignFieldNames = new[] { "TrackingParams" },
            UnifiedCampaignFieldNames = new[] { "TrackingParams" },
        })).GetProperty("Campaigns").EnumerateArray().ToDictionary(c => c.GetProperty("Id").GetInt64());
        long[] campaignIds = [.. campaigns.Keys];
        Dictionary<long, JsonElement> groups = (await _client.GetAsync("adgroups", new
        {
            SelectionCriteria = new { CampaignIds = campaignIds },
            FieldNames = new[] { "Id", "TrackingParams" },
        })).GetProperty("AdGroups").EnumerateArray().ToDictionary(g => g.GetProperty("Id").GetInt64());
        Dictionary<string, (string City, string Source, string Campaign)> places = (await _client.GetAsync("ads", new
        {
            SelectionCriteria = new { CampaignIds = campaignIds },
            FieldNames = new[] { "Id", "AdGroupId", "CampaignId" },
            TextAdFieldNames = new[] { "Href" },
            TextImageAdFieldNames = new[] { "Href" },
            MobileAppAdFieldNames = new[] { "TrackingUrl" },
        })).GetProperty("Ads").EnumerateArray().ToDictionary(
            a => a.GetProperty("Id").GetInt64().ToString(CultureInfo.InvariantCulture),
            a => Place(a, campaigns[a.GetProperty("CampaignId").GetInt64()], groups[a.GetProperty("AdGroupId").GetInt64()]));

        var byDayCity = new Dictionary<(DateOnly, string), AdFigures>();
        var byCampaign = new Dictionary<(string, string), AdFigures>();
        foreach (Dictionary<string, string> row in await _client.AllRowsAsync("mapping"))
        {
            var figures = new AdFigures(long.Parse(row["Cost"], CultureInfo.InvariantCulture) / 1_000_000m,
                long.Parse(row["Clicks"], CultureInfo.InvariantCulture), long.Parse(row["Impressions"], CultureInfo.InvariantCulture));
            (string city, string source, string campaign) = places[row["AdId"]];
            var day = (DateOnly.ParseExact(row["Date"], "yyyy-MM-dd", CultureInfo.InvariantCulture), city);
            byDayCity[day] = byDayCity.GetValueOrDefault(day) + figures;
            byCampaign[(source, campaign)] = byCampaign.GetValueOrDefault((source, campaign)) + figures;
        }

        var truth = fixture.Sandbox.Truth;
        Assert.Equal(truth.ByDayCity.OrderBy(p => p.Key), byDayCity.Select(p => KeyValuePair.Create((p.Key.Item1, p.Key.Item2), p.Value)).OrderBy(p => p.Key));
        Assert.Equal(truth.ByCampaign.OrderBy(p => p.Key), byCampaign.Select(p => KeyValuePair.Create((p.Key.Item1, p.Key.Item2), p.Value)).OrderBy(p => p.Key));
        Assert.True(truth.ByCity.Count > 3);
    }

    /// <summary>Link parameters, then the campaign's and the group's tracking parameters over them, the id macros substituted.</summary>
    private static (string City, string Source, string Campaign) Place(JsonElement ad, JsonElement campaign, JsonElement group)
    {
        string link = ad.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object)
            .Select(p => p.Value.TryGetProperty("Href", out JsonElement href) ? href.GetString() : p.Value.GetProperty("TrackingUrl").GetString())
            .Single() ?? "";
        string? campaignParams = campaign.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object)
            .Select(p => p.Value.GetProperty("TrackingParams").GetString()).SingleOrDefault();
        var utm = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string query in new[] { link.Contains('?', StringComparison.Ordinal) ? link[(link.IndexOf('?', StringComparison.Ordinal) + 1)..] : "", campaignParams ?? "", group.GetProperty("TrackingParams").GetString() ?? "" })
        {
            foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = pair.Split('=', 2);
                utm[parts[0]] = Uri.UnescapeDataString(parts[1])
                    .Replace("{campaign_id}", campaign.GetProperty("Id").ToString(), StringComparison.Ordinal)
                    .Replace("{gbid}", group.GetProperty("Id").ToString(), StringComparison.Ordinal)
                    .Replace("{ad_id}", ad.GetProperty("Id").ToString(), StringComparison.Ordinal)
                    .Replace("{banner_id}", ad.GetProperty("Id").ToString(), StringComparison.Ordinal);
            }
        }
        string content = utm.GetValueOrDefault("utm_content", "");
        string utmCampaign = utm.GetValueOrDefault("utm_campaign", "");
        Match dated = DatedContent().Match(content);
        string city = (dated.Success ? Aliases.GetValueOrDefault(dated.Groups[1].Value) : null)
            ?? Aliases.GetValueOrDefault(utmCampaign.Split('_')[0])
            ?? Aliases.GetValueOrDefault(campaign.GetProperty("Name").GetString()!.Split('_', ' ')[0].ToLowerInvariant())
            ?? "unknown";
        return (city, utm.GetValueOrDefault("utm_source", ""), utmCampaign);
    }

    [GeneratedRegex(@"^([\p{L}.-]+)_\d{1,2}_\d{1,2}$")]
    private static partial Regex DatedContent();
}
