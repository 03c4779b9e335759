using Zakaz.Sources.Http;

namespace Zakaz.Sources.GoogleSheets;

/// <summary>
/// How the Sheets client sends: answers worth another attempt (429, 408, 5xx) and network failures are
/// retried with the shared jittered backoff or the server's Retry-After, a few times; anything else
/// is returned for the caller to explain.
/// </summary>
public sealed record SheetsRetry(int Attempts = 4, TimeSpan? BaseDelay = null, TimeSpan? MaxDelay = null)
{
    internal async Task<HttpResponseMessage> SendAsync(HttpClient http, Func<HttpRequestMessage> request, string what, CancellationToken cancellationToken)
    {
        var baseDelay = BaseDelay ?? TimeSpan.FromMilliseconds(500);
        var maxDelay = MaxDelay ?? TimeSpan.FromSeconds(10);
        for (var attempt = 1; ; attempt++)
        {
            HttpResponseMessage response;
            using (var message = request())
            {
                try
                {
                    response = await http.SendAsync(message, cancellationToken);
                }
                catch (HttpRequestException) when (attempt < Attempts)
                {
                    await Task.Delay(HttpRetry.JitteredBackoff(attempt, baseDelay, maxDelay), cancellationToken);
                    continue;
                }
                catch (HttpRequestException e)
                {
                    throw new GoogleSheetsException($"{what} cannot be reached after {Attempts} attempt(s) ({e.Message}): check the network and the URL.", inner: e);
                }
            }
            if (!HttpRetry.IsRetryable(response.StatusCode) || attempt >= Attempts)
            {
                return response;
            }
            var wait = HttpRetry.RetryAfter(response, maxDelay) ?? HttpRetry.JitteredBackoff(attempt, baseDelay, maxDelay);
            response.Dispose();
            await Task.Delay(wait, cancellationToken);
        }
    }
}
