using Zakaz.Storage;

namespace Zakaz.Pipeline.Ads;

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

    /// <summary>These values with any that is still a whole <c>{macro}</c> the platform fills at click time made "" (unknown).</summary>
    public UtmValues WithoutMacros() => new(Known(Source), Known(Medium), Known(Campaign), Known(Content), Known(Term));

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

    private static string Known(string value) => value is ['{', .., '}'] ? "" : value;

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

internal static class UtmColumns
{
    /// <summary>The five <c>utm_*</c> columns every ad platform's staging and object tables carry.</summary>
    internal static RowSchema<T> Utm<T>(this RowSchema<T> schema, Func<T, UtmValues> utm) => schema
        .Column("utm_source", "LowCardinality(String)", r => utm(r).Source)
        .Column("utm_medium", "LowCardinality(String)", r => utm(r).Medium)
        .Column("utm_campaign", "String", r => utm(r).Campaign)
        .Column("utm_content", "String", r => utm(r).Content)
        .Column("utm_term", "String", r => utm(r).Term);
}
