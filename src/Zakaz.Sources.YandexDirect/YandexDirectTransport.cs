using System.Net;
using System.Net.Http.Headers;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.YandexDirect;

/// <summary>What the client's calls used: requests sent (every attempt and poll) and the last <c>Units</c> header.</summary>
internal sealed class YandexDirectUsage
{
    private int _requests;
    private string? _units;

    public int Requests => Volatile.Read(ref _requests);

    public string? Units => Volatile.Read(ref _units);

    public void Sent() => Interlocked.Increment(ref _requests);

    public void Answered(HttpResponseMessage response)
    {
        if (DirectError.Header(response, "Units") is { } units)
        {
            Volatile.Write(ref _units, units);
        }
    }
}

/// <summary>
/// Inside each attempt of the shared pipeline: counts the request, records <c>Units</c>, and reads Direct's error object
/// from any answer that is not a 5xx/429 (the pipeline retries those by status): a transient error is raised for the
/// pipeline to retry, any other becomes its typed exception at once. A report's 502 is not retried but handed to the
/// client, which splits the period instead (spec §2).
/// </summary>
internal sealed class YandexDirectAnswerHandler(YandexDirectUsage usage, YandexDirectClientOptions options) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        usage.Sent();
        var response = await base.SendAsync(request, cancellationToken);
        usage.Answered(response);
        if (response.StatusCode == HttpStatusCode.BadGateway && request.Options.TryGetValue(YandexDirectTransport.IsReport, out var report) && report)
        {
            response.Dispose();
            throw new DirectReportTooLongException();
        }
        if (SourceResilience.IsRetryable(response.StatusCode))
        {
            return response;
        }
        try
        {
            if (await DirectError.ReadAsync(response, cancellationToken) is not { } error)
            {
                return response;
            }
            throw error.ToException(request.Options.TryGetValue(SourceResilience.Operation, out var operation) ? operation : "call", options);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}

/// <summary>Builds Direct's POST requests (spec §1: token, language, Client-Login) and sends them through the client's pipeline.</summary>
internal sealed class YandexDirectTransport(HttpClient http, YandexDirectClientOptions options)
{
    public const string Source = "Yandex Direct";

    /// <summary>Marks a Reports request, whose 502 means "split the period" rather than "retry".</summary>
    public static readonly HttpRequestOptionsKey<bool> IsReport = new("Zakaz.YandexDirect.IsReport");

    private readonly Uri _root = options.Root;

    /// <summary>POSTs <paramref name="body"/> to <paramref name="service"/>; Direct's errors come back typed (see <see cref="YandexDirectAnswerHandler"/>).</summary>
    public Task<HttpResponseMessage> PostAsync(string service, string body, string operation, CancellationToken cancellationToken,
        IEnumerable<KeyValuePair<string, string>>? headers = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_root, service))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.Token);
        request.Headers.AcceptLanguage.Add(new StringWithQualityHeaderValue("ru"));
        if (options.ClientLogin is { } login)
        {
            request.Headers.Add("Client-Login", login);
        }
        foreach (var (name, value) in headers ?? [])
        {
            request.Headers.Add(name, value);
        }
        request.Options.Set(IsReport, service == "reports");
        return SourceResilience.SendAsync(http, request, Source, operation,
            (message, e) => e is DirectTransientException transient ? transient.Exhausted(operation) : new YandexDirectException(message, inner: e),
            cancellationToken);
    }
}
