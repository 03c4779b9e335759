namespace Zakaz.Web.Auth;

/// <summary>
/// Where a login sends the browser back to: only a path on this site, or <c>/</c>. Browsers drop tabs
/// and newlines from a Location and read <c>\</c> as <c>/</c>, so <c>/&#9;/evil.example</c> or
/// <c>/\evil.example</c> would leave the site; proxies may decode the path once more, so its decoded
/// form must be local too. What the dashboard itself sends (the path and query as requested) is
/// always percent-encoded ASCII, so anything else is refused rather than repaired.
/// </summary>
internal static class ReturnPath
{
    public const string Home = "/";

    public static string Local(string? requested) => IsLocal(requested) ? requested! : Home;

    private static bool IsLocal(string? requested)
    {
        // Printable ASCII only: no controls, spaces, backslashes or look-alike characters.
        if (string.IsNullOrEmpty(requested) || requested.Any(c => c is < '!' or > '~' or '\\') || !StartsLocal(requested))
        {
            return false;
        }
        var path = requested[..(requested.IndexOfAny(['?', '#']) is var end and >= 0 ? end : requested.Length)];
        var decoded = Uri.UnescapeDataString(path);
        return StartsLocal(decoded)
            && StartsLocal(decoded.Normalize(NormalizationForm.FormKC))
            && !decoded.Any(c => c == '\\' || IsInvisible(c));
    }

    /// <summary>A path of this site: one slash, not two (another host) and not a slash and a backslash.</summary>
    private static bool StartsLocal(string path) =>
        path.StartsWith('/') && !(path.Length > 1 && path[1] is '/' or '\\');

    private static bool IsInvisible(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is
        UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
