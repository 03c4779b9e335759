using System.Text.RegularExpressions;
using Zakaz.Pipeline.Cities;

namespace Zakaz.Pipeline.Ads;

/// <summary>
/// A rule of <c>zakaz.map_campaigns</c> for one ad platform (<see cref="Source"/>) or, empty, for every one.
/// <see cref="MatchKind"/>: <c>ad_id</c>, <c>ad_group_id</c>, <c>campaign_id</c> (exact id; VK's names <c>banner_id</c> and
/// <c>ad_plan_id</c> mean the same), <c>utm_source</c> … <c>utm_term</c> (the exact normalised value) or <c>name</c> (a LIKE
/// pattern, <c>%</c> and <c>_</c>, on the ad's, ad group's or campaign's name, case-insensitive). Lower <see cref="Priority"/> wins.
/// </summary>
public sealed record MappingRule(string Source, string MatchKind, string Pattern, string City, ulong EventId, int Priority, bool Active, string Note);

/// <summary>What an ad of a platform is known by: its ids, the names along its hierarchy and its effective UTM values.</summary>
public sealed record AdFacts(string Source, long AdId, long AdGroupId, long CampaignId, string AdName, string AdGroupName, string CampaignName, UtmValues Utm);

/// <summary>Where an ad's spend goes, and which rule or convention said so (<c>rule</c>, <c>utm_content</c>, <c>utm_campaign</c>, <c>campaign_name</c>, <c>none</c>).</summary>
public sealed record Assignment(string City, ulong EventId, string Via)
{
    public const string UnknownCity = "unknown";
}

/// <summary>The ad platforms by the one name every table, view and rule uses for them.</summary>
public static class AdSources
{
    public const string VkAds = "vk_ads";
    public const string YandexDirect = "yandex_direct";

    public static IReadOnlyList<string> All { get; } = [VkAds, YandexDirect];
}

/// <summary>
/// The one place that decides the city and event of ad spend, for every platform, first match wins: the rules of the
/// ad's platform and those for any platform, by priority (at equal priority the most specific kind first); then the
/// README's conventions, through <c>zakaz.dim_city_alias</c>: a city code in <c>utm_content</c> shaped
/// <c>{city}_{dd}_{mm}</c>, the first <c>_</c> token of <c>utm_campaign</c>, the first token of the campaign's name
/// (<c>{city}_{genre}_{year}</c>); otherwise city <c>unknown</c>, event 0. Spend is never dropped.
/// </summary>
public sealed partial class CampaignMapping(IEnumerable<MappingRule> rules, CityAliases aliases)
{
    /// <summary>Most specific first: the order in which rules of equal priority are tried.</summary>
    public static readonly IReadOnlyList<string> MatchKinds =
        ["ad_id", "banner_id", "ad_group_id", "campaign_id", "ad_plan_id", "utm_source", "utm_medium", "utm_campaign", "utm_content", "utm_term", "name"];

    private readonly (MappingRule Rule, Regex? Name)[] _rules = rules
        .Where(r => r.Active)
        .OrderBy(r => r.Priority)
        .ThenBy(r => IndexOf(r.MatchKind))
        .ThenBy(r => r.Pattern, StringComparer.Ordinal)
        .Select(r => (r, r.MatchKind == "name" ? LikePattern(r.Pattern) : null))
        .ToArray();

    public Assignment Assign(AdFacts ad)
    {
        foreach (var (rule, name) in _rules)
        {
            if ((rule.Source.Length == 0 || rule.Source == ad.Source) && Matches(rule, name, ad))
            {
                return new Assignment(aliases.Resolve(rule.City), rule.EventId, "rule");
            }
        }
        var content = CityContent().Match(ad.Utm.Content);
        return (content.Success ? CityOf(content.Groups[1].Value) : null) is { } byContent ? new Assignment(byContent, 0, "utm_content")
            : CityOf(FirstToken(ad.Utm.Campaign)) is { } byCampaign ? new Assignment(byCampaign, 0, "utm_campaign")
            : CityOf(FirstToken(ad.CampaignName)) is { } byName ? new Assignment(byName, 0, "campaign_name")
            : new Assignment(Assignment.UnknownCity, 0, "none");
    }

    /// <summary>The canonical city an alias (a code, a spelling, the name itself) stands for, or null.</summary>
    public string? CityOf(string? alias)
    {
        var key = UtmValues.Normalize(alias);
        return key.Length > 0 ? aliases.Find(key) : null;
    }

    private static bool Matches(MappingRule rule, Regex? name, AdFacts ad)
    {
        var pattern = rule.Pattern;
        return rule.MatchKind switch
        {
            "ad_id" or "banner_id" => IsId(pattern, ad.AdId),
            "ad_group_id" => IsId(pattern, ad.AdGroupId),
            "campaign_id" or "ad_plan_id" => IsId(pattern, ad.CampaignId),
            "utm_source" => Same(pattern, ad.Utm.Source),
            "utm_medium" => Same(pattern, ad.Utm.Medium),
            "utm_campaign" => Same(pattern, ad.Utm.Campaign),
            "utm_content" => Same(pattern, ad.Utm.Content),
            "utm_term" => Same(pattern, ad.Utm.Term),
            "name" => name!.IsMatch(ad.AdName) || name.IsMatch(ad.AdGroupName) || name.IsMatch(ad.CampaignName),
            _ => false,
        };
    }

    private static bool IsId(string pattern, long id) => long.TryParse(pattern.Trim(), out var value) && value == id;

    private static bool Same(string pattern, string value) => value.Length > 0 && UtmValues.Normalize(pattern) == value;

    private static int IndexOf(string kind) => MatchKinds.Contains(kind) ? MatchKinds.ToList().IndexOf(kind) : MatchKinds.Count;

    private static string FirstToken(string text)
    {
        var normalized = UtmValues.Normalize(text);
        var end = normalized.IndexOfAny(['_', ' ']);
        return end < 0 ? normalized : normalized[..end];
    }

    /// <summary>SQL LIKE as a whole-string, case-insensitive regex: <c>%</c> any run, <c>_</c> one character.</summary>
    internal static Regex LikePattern(string like)
    {
        var regex = string.Concat(like.Trim().Select(c => c switch
        {
            '%' => ".*",
            '_' => ".",
            _ => Regex.Escape(c.ToString()),
        }));
        return new Regex("^" + regex + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"^([\p{L}.-]+)_\d{1,2}_\d{1,2}$", RegexOptions.CultureInvariant)]
    private static partial Regex CityContent();
}
