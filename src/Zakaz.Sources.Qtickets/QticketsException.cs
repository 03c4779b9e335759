namespace Zakaz.Sources.Qtickets;

/// <summary>
/// Anything that stops a Qtickets call. Messages name the method and path but never the token or a
/// response body beyond a redacted excerpt, so they can go to logs and job records as they are.
/// </summary>
public class QticketsException : Exception
{
    public QticketsException(string message)
        : base(message)
    {
    }

    public QticketsException(string message, Exception? inner)
        : base(message, inner)
    {
    }
}

/// <summary>The API answered with an error status (after any retries): a JSON error body, parsed loosely.</summary>
public class QticketsApiException : QticketsException
{
    public QticketsApiException(string message, int statusCode, string path, string? code, string? apiMessage)
        : base(message)
    {
        StatusCode = statusCode;
        Path = path;
        Code = code;
        ApiMessage = apiMessage;
    }

    public int StatusCode { get; }

    /// <summary>The method path below the API root, e.g. <c>/orders/5000001</c>.</summary>
    public string Path { get; }

    /// <summary>The API's <c>code</c> (<c>RESOURCE_NOT_FOUND</c>, <c>UNKNOWN_ERROR</c>...), when it sent one.</summary>
    public string? Code { get; }

    /// <summary>The API's <c>error</c> text, when it sent one.</summary>
    public string? ApiMessage { get; }

    /// <summary>An item route's "no such id" (spec §5): a single fetch skips the item, a list route is misrouted.</summary>
    public bool IsResourceNotFound => StatusCode == 404 && string.Equals(Code, "RESOURCE_NOT_FOUND", StringComparison.OrdinalIgnoreCase);
}

/// <summary>
/// The answer was not JSON (an HTML "page not found" for an unknown route, a proxy's error page):
/// carries the content type and a redacted excerpt of the body instead of a JSON parse error.
/// </summary>
public sealed class QticketsHttpException : QticketsApiException
{
    public QticketsHttpException(string message, int statusCode, string path, string? contentType, string bodyExcerpt)
        : base(message, statusCode, path, code: null, apiMessage: null)
    {
        ContentType = contentType;
        BodyExcerpt = bodyExcerpt;
    }

    public string? ContentType { get; }

    /// <summary>At most the first 512 characters of the body, secrets removed.</summary>
    public string BodyExcerpt { get; }
}

/// <summary>A successful answer that cannot be used: invalid JSON twice, a repeated page, a malformed envelope.</summary>
public sealed class QticketsResponseException(string message, Exception? inner = null) : QticketsException(message, inner);

/// <summary>A value of an entity does not have the shape the spec allows (a timestamp without an offset, text for a number).</summary>
public sealed class QticketsFormatException(string message) : QticketsException(message);
