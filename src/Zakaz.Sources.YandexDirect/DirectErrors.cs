using System.Net;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.YandexDirect;

/// <summary>Direct's error object, <c>{"error": {request_id, error_code, error_string, error_detail}}</c> (spec §3).</summary>
internal sealed record DirectError(int Code, string Text, string Detail, string? RequestId)
{
    /// <summary>The error an answer's body holds, whatever its HTTP status (errors also come with 200); null when it holds none.</summary>
    public static async Task<DirectError?> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await response.Content.LoadIntoBufferAsync(cancellationToken);
        // The buffered body is a seekable stream over the buffer, the one every later read gets (so not disposed here, and
        // rewound): peek without copying a report's TSV, which never starts with '{'.
        var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            int first;
            do
            {
                first = body.ReadByte();
            }
            while (first is ' ' or '\t' or '\r' or '\n' or 0xEF or 0xBB or 0xBF);
            if (first != '{')
            {
                return null;
            }
            body.Position = 0;
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return DirectJson.Property(document.RootElement, "error") is { ValueKind: JsonValueKind.Object } error
                ? new DirectError(
                    (int)(DirectJson.OptionalId(error, "error_code") ?? 0),
                    DirectJson.Text(error, "error_string"),
                    DirectJson.Text(error, "error_detail"),
                    DirectJson.Text(error, "request_id") is { Length: > 0 } id ? id : Header(response, "RequestId"))
                : null;
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            return null;
        }
        finally
        {
            body.Position = 0;
        }
    }

    /// <summary>Temporarily unavailable, initialising, operation error, too many connections or requests, offline queue full: try again later.</summary>
    public bool IsTransient => Code is 52 or 56 or 506 or 1000 or 1001 or 1002 or 9000;

    /// <summary>The exception for this error; the transient ones are <see cref="DirectTransientException"/>, which the shared pipeline retries.</summary>
    public Exception ToException(string operation, YandexDirectClientOptions options)
    {
        var said = Redact(Detail.Length > 0 && Detail != Text ? $"{Text} ({Detail})" : Text, options.Token);
        var request = RequestId is null ? "" : $" (RequestId {RequestId})";
        var error = $"error {Code} {said}";
        if (IsTransient)
        {
            return new DirectTransientException($"{error}{request}", this);
        }
        var start = $"{YandexDirectTransport.Source} {operation}: {error}";
        return Code switch
        {
            53 => new YandexDirectAuthException(
                $"{start}: the OAuth token is invalid or expired; issue a new one (scope direct:api) at https://oauth.yandex.ru and set YANDEX_DIRECT_TOKEN{request}",
                Code, RequestId),
            54 => new YandexDirectAuthException(options.ClientLogin is { } login
                ? $"{start}: the token's user has no rights to the advertiser '{login}'; check that YANDEX_DIRECT_CLIENT_LOGIN is a client of the agency behind the token{request}"
                : $"{start}: the token's user has no rights to this account; an agency's token needs YANDEX_DIRECT_CLIENT_LOGIN set to the advertiser's login{request}",
                Code, RequestId),
            58 => new YandexDirectAuthException(
                $"{start}: the application's API access request is not approved; apply for API access in the Direct web interface (Tools → API section) and wait for approval{request}",
                Code, RequestId),
            513 => new YandexDirectAuthException(
                $"{start}: the login{(options.ClientLogin is { } l ? $" '{l}'" : "")} is not connected to Yandex Direct; check YANDEX_DIRECT_CLIENT_LOGIN, or register the login in Direct{request}",
                Code, RequestId),
            3000 or 3001 => new YandexDirectAuthException(
                $"{start}: the account has no access to {(Code == 3000 ? "the API" : "this method")}; check its API access in the Direct web interface (API section){request}",
                Code, RequestId),
            152 => new YandexDirectPointsException(
                $"{start}: the account's API points are spent; the run stops here and the next run continues once they are replenished (hourly){request}",
                Code, RequestId),
            8000 => new YandexDirectException($"{start}: Direct refused the request as invalid; the detail names the parameter{request}", Code, RequestId),
            _ => new YandexDirectException($"{start}{request}", Code, RequestId),
        };
    }

    /// <summary>
    /// The error a non-success answer stands for: Direct's error object, or else the status alone. <paramref name="retried"/>
    /// says the pipeline has given up on it (a 5xx or 429 after every attempt), rather than that a retry's log line is being written.
    /// </summary>
    public static async Task<Exception> OfAnswerAsync(HttpResponseMessage response, string operation, YandexDirectClientOptions options, bool retried,
        CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var final = retried ? "; still refused after every retry, try again later" : "";
        if (await ReadAsync(response, cancellationToken) is { } error)
        {
            var exception = error.ToException(operation, options);
            return exception is DirectTransientException transient
                ? new YandexDirectException($"{YandexDirectTransport.Source} {operation} failed with HTTP {status}: {transient.Message}{final}", error.Code, error.RequestId)
                : exception;
        }
        var hint = response.StatusCode == HttpStatusCode.NotFound ? ": no such service; check YANDEX_DIRECT_BASE_URL (it ends in /json/v5/)" : final;
        return new YandexDirectException(
            $"{YandexDirectTransport.Source} {operation} failed with HTTP {status} ({response.Content.Headers.ContentType?.MediaType ?? "no content type"}){hint}",
            requestId: Header(response, "RequestId"));
    }

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && values.FirstOrDefault() is { Length: > 0 } value ? value : null;

    /// <summary>One line, and never the token, whatever the vendor's text echoes.</summary>
    private static string Redact(string text, string token) =>
        string.Join(' ', text.Replace(token, "***", StringComparison.Ordinal).Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries));
}

/// <summary>
/// A Direct error that means "try again later", raised inside the attempt as a network-level failure so the shared
/// pipeline retries it with its backoff like a reset connection (Direct sends these with 200 or 400, not 5xx).
/// </summary>
internal sealed class DirectTransientException(string message, DirectError error)
    : HttpRequestException(HttpRequestError.Unknown, message)
{
    public DirectError Error { get; } = error;

    public YandexDirectException Exhausted(string operation) => new(
        $"{YandexDirectTransport.Source} {operation}: {Message}; still refused after every retry, try again later", Error.Code, Error.RequestId, this);
}

/// <summary>A report answered 502: building took too long for its period, which the client splits (spec §2).</summary>
internal sealed class DirectReportTooLongException() : Exception("Yandex Direct report building took too long (HTTP 502)");
