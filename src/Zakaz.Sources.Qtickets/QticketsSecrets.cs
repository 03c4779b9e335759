using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Zakaz.Sources.Qtickets;

/// <summary>Keeps the token and other credentials out of anything a person or a log can read.</summary>
internal static partial class QticketsSecrets
{
    /// <summary>Enough to tell two tokens apart in logs, far too little to use: 4 hex digits of the token's SHA-256.</summary>
    public static string Fingerprint(string token) =>
        "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)))[..4];

    /// <summary>
    /// The start of a response body fit for an error message: the token, bearer credentials and
    /// token-like URL parameters removed, whitespace collapsed so the message stays on one line.
    /// </summary>
    public static string Excerpt(string body, string token, int length = 512)
    {
        var text = body.Replace(token, "[token]", StringComparison.Ordinal);
        text = BearerCredential().Replace(text, "Bearer [redacted]");
        text = SecretParameter().Replace(text, m => m.Groups[1].Value + "=[redacted]");
        text = Whitespace().Replace(text, " ").Trim();
        return text.Length <= length ? text : text[..length];
    }

    [GeneratedRegex(@"Bearer\s+[^\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex BearerCredential();

    [GeneratedRegex(@"\b(token|access_token|api_key|key|secret|password|signature)=[^&\s""'<>]+", RegexOptions.IgnoreCase)]
    private static partial Regex SecretParameter();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}
