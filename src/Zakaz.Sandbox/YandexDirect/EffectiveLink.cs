using System.Text.RegularExpressions;
using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Sandbox.YandexDirect;

/// <summary>Where an ad's spend belongs: the city the README's conventions give it and its effective UTM tags.</summary>
internal sealed record Placement(string City, string UtmSource, string UtmCampaign);

/// <summary>
/// The link a click on an ad follows (spec §4): the ad's own link, then the ad group's and the campaign's
/// <c>TrackingParams</c> appended (the group's win over the campaign's for a key, and both override a same-named
/// parameter already in the link), with the id macros Direct substitutes at click time replaced by the ids.
/// The generated account never gives the ad's link and a tracking parameter the same key, so the truth does not hang
/// on the one precedence the documentation leaves open (link against tracking parameters).
/// </summary>
internal static partial class EffectiveLink
{
    private static readonly Dictionary<string, string> CityByAlias = Catalog.Cities
        .SelectMany(c => new[] { (c.Code, c.Name.ToLowerInvariant()), (c.Name.ToLowerInvariant(), c.Name.ToLowerInvariant()) })
        .ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal);

    private static Dictionary<string, string> Parameters(DirectCampaign campaign, DirectAdGroup group, DirectAd ad)
    {
        Dictionary<string, string> parameters = Parse(ad.Link.Split('?', 2) is [_, string query] ? query : "");
        foreach ((string key, string value) in Parse(campaign.TrackingParams).Concat(Parse(group.TrackingParams)))
        {
            parameters[key] = value;
        }
        foreach (string key in parameters.Keys)
        {
            parameters[key] = parameters[key]
                .Replace("{campaign_id}", campaign.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{gbid}", group.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{ad_id}", ad.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
                .Replace("{banner_id}", ad.Id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        }
        return parameters;
    }

    /// <summary>
    /// The README's conventions without rules: a city code in <c>utm_content</c> shaped <c>{city}_{dd}_{mm}</c>, the first
    /// <c>_</c> token of <c>utm_campaign</c>, the first token of the campaign's name; otherwise <c>unknown</c>.
    /// </summary>
    public static Placement Place(DirectCampaign campaign, DirectAdGroup group, DirectAd ad)
    {
        Dictionary<string, string> utm = Parameters(campaign, group, ad);
        string content = utm.GetValueOrDefault("utm_content", "");
        string utmCampaign = utm.GetValueOrDefault("utm_campaign", "");
        Match dated = CityContent().Match(content);
        string city = (dated.Success ? CityOf(dated.Groups[1].Value) : null)
            ?? CityOf(FirstToken(utmCampaign))
            ?? CityOf(FirstToken(campaign.Name))
            ?? "unknown";
        return new Placement(city, utm.GetValueOrDefault("utm_source", ""), utmCampaign);
    }

    private static string? CityOf(string alias) => CityByAlias.GetValueOrDefault(alias.Trim().ToLowerInvariant());

    private static string FirstToken(string text) => text.Split('_', ' ')[0];

    private static Dictionary<string, string> Parse(string query)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] parts = pair.Split('=', 2);
            parameters[Uri.UnescapeDataString(parts[0])] = parts.Length == 2 ? Uri.UnescapeDataString(parts[1].Replace('+', ' ')) : "";
        }
        return parameters;
    }

    [GeneratedRegex(@"^([\p{L}.-]+)_\d{1,2}_\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex CityContent();
}
