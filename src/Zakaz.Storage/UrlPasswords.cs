namespace Zakaz.Storage;

/// <summary>Hides passwords inside URLs, so a URL can appear in messages and configuration listings.</summary>
public static class UrlPasswords
{
    /// <remarks>
    /// Text rather than <see cref="Uri"/>, to mask URLs that failed to parse too. The last '@' ends the credentials, so
    /// a password with an unescaped '/' or '@' is still hidden; masking too much in an odd path is the safer mistake.
    /// </remarks>
    public static string Mask(string url)
    {
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.LastIndexOf('@');
        if (scheme < 0 || at < scheme)
        {
            return url;
        }
        var colon = url.IndexOf(':', scheme + 3, at - scheme - 3);
        return colon < 0 ? url : string.Concat(url.AsSpan(0, colon + 1), "***", url.AsSpan(at));
    }
}
