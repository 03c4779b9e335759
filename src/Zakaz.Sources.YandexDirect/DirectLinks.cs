namespace Zakaz.Sources.YandexDirect;

/// <summary>The link a click on an ad lands on, as far as the API can tell it (spec §4, "URL parameters").</summary>
public static class DirectLinks
{
    /// <summary>
    /// The ad's <see cref="DirectAd.Href"/> with the campaign's and then the ad group's <c>TrackingParams</c> appended the way
    /// Direct does: a key set by the group wins over the campaign's, and a tracking parameter replaces a same-named one already
    /// in the link. <c>{campaign_id}</c>, <c>{ad_id}</c>, <c>{banner_id}</c> and <c>{gbid}</c> become the ids; any other macro
    /// (<c>{keyword}</c>, <c>{source}</c>…) stays literally, since only Direct knows it at click time. Returns the absolute
    /// URL, or only the query (<c>?…</c>) for an ad without a link; pairs are kept as written, not re-encoded. Keys compare
    /// case-insensitively, as UTM readers do, so a group's <c>utm_source</c> replaces a link's <c>UTM_SOURCE</c>.
    /// </summary>
    public static string Resolve(DirectAd ad, DirectAdGroup? group, DirectCampaign? campaign)
    {
        ArgumentNullException.ThrowIfNull(ad);
        var (head, query, fragment) = Split(ad.Href.Trim());
        var pairs = Pairs(query);
        foreach (var level in new[] { campaign?.TrackingParams, group?.TrackingParams })
        {
            var tracking = Pairs(level?.Trim().TrimStart('?') ?? "");
            var keys = tracking.Select(p => p.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
            pairs.RemoveAll(p => keys.Contains(p.Key));
            pairs.AddRange(tracking);
        }
        var merged = string.Join('&', pairs.Select(p => p.Text));
        var link = head + (merged.Length == 0 ? "" : "?" + merged) + fragment;
        return Substitute(link, ad);
    }

    private static string Substitute(string link, DirectAd ad) => link
        .Replace("{campaign_id}", ad.CampaignId.ToString(CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
        .Replace("{ad_id}", ad.Id.ToString(CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
        .Replace("{banner_id}", ad.Id.ToString(CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase)
        .Replace("{gbid}", ad.AdGroupId.ToString(CultureInfo.InvariantCulture), StringComparison.OrdinalIgnoreCase);

    /// <summary>The link before '?', the query, and the '#' fragment (kept after the appended parameters).</summary>
    private static (string Head, string Query, string Fragment) Split(string href)
    {
        var hash = href.IndexOf('#', StringComparison.Ordinal);
        var fragment = hash < 0 ? "" : href[hash..];
        var rest = hash < 0 ? href : href[..hash];
        var question = rest.IndexOf('?', StringComparison.Ordinal);
        return question < 0 ? (rest, "", fragment) : (rest[..question], rest[(question + 1)..], fragment);
    }

    private static List<(string Key, string Text)> Pairs(string query) =>
        query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(text => (Key: Uri.UnescapeDataString(text.Split('=', 2)[0]), Text: text))
            .ToList();
}
