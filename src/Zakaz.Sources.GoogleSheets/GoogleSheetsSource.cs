using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.GoogleSheets;

/// <summary>How hard the Sheets client tries: a few attempts, short waits (a sheet is read in seconds or not at all).</summary>
public sealed class GoogleSheetsClientOptions : SourceHttpOptions
{
    public GoogleSheetsClientOptions()
    {
        MaxAttempts = 4;
        RetryBaseDelay = TimeSpan.FromMilliseconds(500);
        RetryMaxDelay = TimeSpan.FromSeconds(10);
        MaxRetryAfter = TimeSpan.FromSeconds(10);
    }
}

/// <summary>
/// The Google Sheets source's registration: the HttpClient (CSV exports, the token endpoint, the Sheets API) with the
/// shared resilience pipeline. A <see cref="GoogleSheetsClient"/> is made per read, with the configured URL and key.
/// </summary>
public static class GoogleSheetsSource
{
    public const string HttpClientName = "GoogleSheets";

    private const string Source = "Google Sheets";

    public static IServiceCollection AddGoogleSheetsSource(this IServiceCollection services, Func<IServiceProvider, GoogleSheetsClientOptions>? options = null)
    {
        services.AddSingleton(provider => options?.Invoke(provider) ?? new GoogleSheetsClientOptions());
        services.AddSourceHttpClient(HttpClientName)
            .AddSourceResilienceHandler<GoogleSheetsClientOptions>(Source, typeof(GoogleSheetsClient).FullName!,
                (_, response, operation, _) => Task.FromResult<Exception>(new GoogleSheetsException($"{Source} {operation} answered HTTP {(int)response.StatusCode}")));
        return services;
    }

    /// <summary>The source's HttpClient on its own (no host), built on <see cref="AddGoogleSheetsSource"/>; disposing it releases its services.</summary>
    public static HttpClient CreateHttpClient(GoogleSheetsClientOptions? options = null, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        var services = SourceServices.Build(s => s.AddGoogleSheetsSource(options is null ? null : _ => options), loggers, time);
        // The pipeline limits each attempt and the whole call; the client itself waits as long as they allow.
        return new OwningHttpClient(services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(HttpClientName), services) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>Sends through the pipeline; an answer of any status comes back, a failure to get one is a <see cref="GoogleSheetsException"/>.</summary>
    internal static Task<HttpResponseMessage> SendAsync(HttpClient http, HttpRequestMessage request, string what, CancellationToken cancellationToken) =>
        SourceResilience.SendAsync(http, request, Source, $"{request.Method} {request.RequestUri?.AbsolutePath}",
            (_, e) => new GoogleSheetsException($"{what} cannot be reached, retries included ({e.Message}): check the network and the URL.", inner: e), cancellationToken);

    private sealed class OwningHttpClient(HttpMessageHandler handler, IDisposable services) : HttpClient(handler, disposeHandler: false)
    {
        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                services.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
