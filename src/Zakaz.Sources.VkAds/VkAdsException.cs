namespace Zakaz.Sources.VkAds;

/// <summary>
/// Anything that stops a VK Ads call. Messages name the request but never a token, the client secret
/// or more of a body than the platform's error code and message, so they can go to logs and job records.
/// </summary>
public class VkAdsException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The platform answered with an error status after any retries; <see cref="Code"/> is its error code when it sent one.</summary>
public class VkAdsApiException(string message, int statusCode, string? code) : VkAdsException(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary><c>ERR_LIMIT_EXCEEDED</c>, <c>expired_token</c>, <c>invalid_client</c>...</summary>
    public string? Code { get; } = code;

    public bool IsLimitExceeded => string.Equals(Code, "ERR_LIMIT_EXCEEDED", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// Authorisation failed for good: bad client credentials, a revoked or blocked account, the live-token limit
/// (403 from the token endpoint), or a second 401 after a refresh. Retrying the run will not help.
/// </summary>
public sealed class VkAdsAuthException(string message, int statusCode, string? code) : VkAdsApiException(message, statusCode, code);

/// <summary>A 200 answer without the shape the API documents.</summary>
public sealed class VkAdsFormatException(string message, Exception? inner = null) : VkAdsException(message, inner);
