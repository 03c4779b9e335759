namespace Zakaz.Sources.Qtickets;

/// <summary>
/// Anything that stops a Qtickets call. Messages name the method and path but never the token or a
/// response body beyond a redacted excerpt, so they can go to logs and job records as they are.
/// </summary>
public class QticketsException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The API answered with an error status (after any retries): a JSON error body, parsed loosely.</summary>
public class QticketsApiException(string message, int statusCode, string path, string? code, string? apiMessage) : QticketsException(message)
{
    public int StatusCode { get; } = statusCode;

    /// <summary>The method path below the API root, e.g. <c>/orders/5000001</c>.</summary>
    public string Path { get; } = path;

    /// <summary>The API's <c>code</c> (<c>RESOURCE_NOT_FOUND</c>, <c>UNKNOWN_ERROR</c>...), when it sent one.</summary>
    public string? Code { get; } = code;

    public string? ApiMessage { get; } = apiMessage;

    /// <summary>An item route's "no such id" (spec §5): a single fetch skips the item, a list route is misrouted.</summary>
    public bool IsResourceNotFound => StatusCode == 404 && string.Equals(Code, "RESOURCE_NOT_FOUND", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The answer was not JSON (an HTML "page not found" for an unknown route, a proxy's error page):
/// carries the content type and a redacted excerpt of the body instead of a JSON parse error.
/// </summary>
public sealed class QticketsHttpException(string message, int statusCode, string path, string? contentType, string bodyExcerpt)
    : QticketsApiException(message, statusCode, path, code: null, apiMessage: null)
{
    public string? ContentType { get; } = contentType;

    /// <summary>At most the first 512 characters of the body, secrets removed.</summary>
    public string BodyExcerpt { get; } = bodyExcerpt;
}

/// <summary>A successful answer that cannot be used: invalid JSON twice, a repeated page, a malformed envelope.</summary>
public sealed class QticketsResponseException(string message, Exception? inner = null) : QticketsException(message, inner);

/// <summary>A value of an entity does not have the shape the spec allows (a timestamp without an offset, text for a number).</summary>
public sealed class QticketsFormatException(string message) : QticketsException(message);
