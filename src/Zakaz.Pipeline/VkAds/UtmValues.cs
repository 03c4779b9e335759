namespace Zakaz.Pipeline.VkAds;

/// <summary>
/// The five UTM values of an ad, as mapping and the campaign ROI compare them: URL-decoded, trimmed and lower-cased,
/// "" when absent. <c>{{macros}}</c> stay as they are.
/// </summary>
public sealed record UtmValues(string Source, string Medium, string Campaign, string Content, string Term)
{
    public static readonly UtmValues None = new("", "", "", "", "");

    /// <summary>
    /// The banner's target URL query, completed by its ad group's <c>utm</c> string for the keys the URL lacks:
    /// the link a person clicks carries the URL's own tags, and VK appends the group's after them.
    /// </summary>
    public static UtmValues Parse(string? targetUrl, string? adGroupUtm)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        Read(Query(targetUrl), values);
        Read(adGroupUtm, values);
        return new UtmValues(values.GetValueOrDefault("utm_source", ""), values.GetValueOrDefault("utm_medium", ""),
            values.GetValueOrDefault("utm_campaign", ""), values.GetValueOrDefault("utm_content", ""), values.GetValueOrDefault("utm_term", ""));
    }

    /// <summary>The same normalisation for a value read elsewhere (a rule's pattern, an order's tag).</summary>
    public static string Normalize(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "";
        }
        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(value.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            decoded = value;
        }
        return decoded.Trim().ToLowerInvariant();
    }

    private static string? Query(string? url)
    {
        var start = url?.IndexOf('?', StringComparison.Ordinal) ?? -1;
        if (start < 0)
        {
            return null;
        }
        var end = url!.IndexOf('#', start);
        return end < 0 ? url[(start + 1)..] : url[(start + 1)..end];
    }

    private static void Read(string? query, Dictionary<string, string> values)
    {
        foreach (var pair in (query ?? "").TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var key = Normalize(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Normalize(pair[(equals + 1)..]);
            if (key.StartsWith("utm_", StringComparison.Ordinal) && value.Length > 0)
            {
                values.TryAdd(key, value);
            }
        }
    }
}
