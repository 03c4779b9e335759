namespace Zakaz.Sources.YandexDirect;

/// <summary>
/// Anything that stops a Yandex Direct call: retries exhausted, an answer not in the documented shape, an invalid
/// request (8000). Messages are one line naming the call and what to do; never the token.
/// </summary>
public class YandexDirectException(string message, int? errorCode = null, string? requestId = null, Exception? inner = null)
    : Exception(message, inner)
{
    /// <summary>Direct's <c>error_code</c>, when the answer carried one.</summary>
    public int? ErrorCode { get; } = errorCode;

    /// <summary>Direct's <c>RequestId</c> of the failed call, for its support.</summary>
    public string? RequestId { get; } = requestId;
}

/// <summary>The token, the login or the account's API access is refused (53, 54, 58, 513, 3000, 3001): fix the settings, then run again.</summary>
public sealed class YandexDirectAuthException(string message, int errorCode, string? requestId)
    : YandexDirectException(message, errorCode, requestId);

/// <summary>The account's API points are spent (152): stop without moving the watermark; the next run continues after they are replenished.</summary>
public sealed class YandexDirectPointsException(string message, int errorCode, string? requestId)
    : YandexDirectException(message, errorCode, requestId);
