using Zakaz.Sources.Http;

namespace Zakaz.Sources.VkAds;

/// <summary>
/// Sends requests through the client's resilience pipeline (<see cref="SourceResilience"/>: one request at a time,
/// paced by <see cref="VkAdsRateLimits"/>; 429, 5xx, time-outs and resets retried) and reads the answers. Other
/// errors come back as <see cref="VkAdsApiException"/> with the platform's code, so the caller decides about 401
/// and ERR_LIMIT_EXCEEDED.
/// </summary>
internal sealed class VkAdsTransport(HttpClient http)
{
    public const string Source = "VK Ads";

    public async Task<T> SendAsync<T>(string what, Func<HttpRequestMessage> create, Func<JsonElement, T> read, CancellationToken cancellationToken)
    {
        using var response = await SourceResilience.SendAsync(http, create(), Source, what, (message, e) => new VkAdsException(message, e), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await ErrorAsync(response, what, cancellationToken);
        }
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(cancellationToken), cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new VkAdsFormatException($"VK Ads {what}: the 200 answer is not valid JSON ({e.Message})", e);
        }
        using (document)
        {
            try
            {
                return read(document.RootElement);
            }
            catch (VkAdsFormatException e)
            {
                throw new VkAdsFormatException($"VK Ads {what}: {e.Message}", e);
            }
        }
    }

    internal static async Task<Exception> ErrorAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var body = await SourceResilience.ReadPrefixAsync(response.Content, cancellationToken);
        var (code, message) = VkAdsJson.Error(body);
        // The platform's code and message only: a body may echo what was sent, and bodies are not for logs.
        var detail = string.Join(": ", new[] { code, message }.Where(s => !string.IsNullOrEmpty(s)));
        return new VkAdsApiException($"VK Ads {what} failed with HTTP {status}{(detail.Length > 0 ? " " + detail : "")}", status, code);
    }
}
