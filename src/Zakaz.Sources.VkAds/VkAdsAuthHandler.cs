using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;

namespace Zakaz.Sources.VkAds;

/// <summary>
/// The token of every API request (spec §1, §6.11: outside the retry pipeline): a 401 renews the token once and
/// replays once, except for the codes that say the app or the account lost its access. A second 401 comes back
/// for the client to report. Token requests themselves carry <see cref="Anonymous"/> and pass untouched.
/// </summary>
internal sealed class VkAdsAuthHandler(VkAdsTokens tokens, ILogger<VkAdsClient> logger) : DelegatingHandler
{
    public static readonly HttpRequestOptionsKey<bool> Anonymous = new("Zakaz.VkAds.Anonymous");

    public static bool LostAccess(string? code) => code is "invalid_client" or "invalid_user" or "revoked_token";

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Options.TryGetValue(Anonymous, out _))
        {
            return await base.SendAsync(request, cancellationToken);
        }
        var token = await tokens.AccessTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }
        var (code, _) = VkAdsJson.Error(await response.Content.ReadAsStringAsync(cancellationToken));
        if (LostAccess(code))
        {
            return response;
        }
        response.Dispose();
        logger.LogInformation("VK Ads {Request}: 401 {Code}; renewing the token and trying once more", $"{request.Method} {request.RequestUri?.AbsolutePath}", code ?? "");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.AfterUnauthorizedAsync(token, cancellationToken));
        return await base.SendAsync(request, cancellationToken);
    }
}
