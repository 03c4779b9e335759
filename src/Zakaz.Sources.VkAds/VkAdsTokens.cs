using Microsoft.Extensions.Logging;

namespace Zakaz.Sources.VkAds;

/// <summary>
/// The token lifecycle of spec §1: a stored token is reused while more than <see cref="VkAdsClientOptions.RefreshMargin"/>
/// of it is left, refreshed with its refresh_token before that, and a new one is minted only when there is none or
/// the refresh is refused, so runs never use up the platform's five live tokens. Every renewal is stored before the
/// token is used. A 401 re-reads the store first: another process may have refreshed (which kills the old token).
/// </summary>
internal sealed class VkAdsTokens(VkAdsClientOptions options, IVkAdsTokenStore store, Func<VkAdsTransport> transport, TimeProvider time, ILogger<VkAdsClient> logger)
    : IDisposable
{
    private const string TokenPath = "api/v2/oauth2/token.json";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly VkAdsTokenKey _key = options.TokenKey;
    private VkAdsToken? _current;

    public int Minted { get; private set; }

    public int Refreshed { get; private set; }

    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } current && IsFresh(current))
            {
                return current.AccessToken;
            }
            var stored = await store.ReadAsync(_key, cancellationToken);
            _current = stored is not null && IsFresh(stored) ? stored : await RenewAsync(stored, cancellationToken);
            return _current.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>After a 401 with <paramref name="rejected"/>: the stored token if someone else renewed it, else a renewed one.</summary>
    public async Task<string> AfterUnauthorizedAsync(string rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var stored = await store.ReadAsync(_key, cancellationToken);
            if (stored is not null && stored.AccessToken != rejected && stored.ExpiresAt > time.GetUtcNow())
            {
                logger.LogInformation("VK Ads: another process renewed the token; using the stored one");
                _current = stored;
                return stored.AccessToken;
            }
            _current = await RenewAsync(stored ?? _current, cancellationToken);
            return _current.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    private bool IsFresh(VkAdsToken token) => token.ExpiresAt - time.GetUtcNow() > options.RefreshMargin;

    private async Task<VkAdsToken> RenewAsync(VkAdsToken? old, CancellationToken cancellationToken)
    {
        if (old is { RefreshToken.Length: > 0 })
        {
            try
            {
                var refreshed = await RequestAsync("refresh", new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token",
                    ["refresh_token"] = old.RefreshToken,
                    ["client_id"] = options.ClientId,
                    ["client_secret"] = options.ClientSecret,
                }, old.RefreshToken, cancellationToken);
                Refreshed++;
                logger.LogInformation("VK Ads: token refreshed, valid until {ExpiresAt:yyyy-MM-dd HH:mm:ss} UTC", refreshed.ExpiresAt);
                await store.WriteAsync(_key, refreshed, cancellationToken);
                return refreshed;
            }
            catch (VkAdsApiException e) when (e.StatusCode is 400 or 401 && e is not VkAdsAuthException)
            {
                logger.LogInformation("VK Ads: the refresh was refused ({Reason}); requesting a new token", e.Code ?? e.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }
        }
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = options.AgencyClient is null ? "client_credentials" : "agency_client_credentials",
            ["client_id"] = options.ClientId,
            ["client_secret"] = options.ClientSecret,
        };
        if (options.AgencyClient is { } agency)
        {
            form[agency.All(char.IsAsciiDigit) ? "agency_client_id" : "agency_client_name"] = agency;
        }
        VkAdsToken minted;
        try
        {
            minted = await RequestAsync("token", form, null, cancellationToken);
        }
        catch (VkAdsApiException e) when (e.StatusCode == 403)
        {
            throw new VkAdsAuthException(
                $"VK Ads refused a new token (HTTP 403{(e.Code is null ? "" : " " + e.Code)}): the app already has the platform's maximum of 5 live tokens for this account. " +
                "Delete unused tokens (POST /api/v2/oauth2/token/delete.json, which removes every token of the app for that user) or wait for them to lapse, then run again.",
                403, e.Code);
        }
        catch (VkAdsApiException e) when (e.StatusCode is 400 or 401)
        {
            throw new VkAdsAuthException(
                $"VK Ads refused the client credentials (HTTP {e.StatusCode}{(e.Code is null ? "" : " " + e.Code)}): check VK_ADS_CLIENT_ID, VK_ADS_CLIENT_SECRET{(options.AgencyClient is null ? "" : " and VK_ADS_AGENCY_CLIENT")}.",
                e.StatusCode, e.Code);
        }
        Minted++;
        logger.LogInformation("VK Ads: new token issued, valid until {ExpiresAt:yyyy-MM-dd HH:mm:ss} UTC", minted.ExpiresAt);
        await store.WriteAsync(_key, minted, cancellationToken);
        return minted;
    }

    private Task<VkAdsToken> RequestAsync(string what, Dictionary<string, string> form, string? previousRefresh, CancellationToken cancellationToken) =>
        transport().SendAsync($"POST /{TokenPath} ({what})", () =>
        {
            var request = new HttpRequestMessage(HttpMethod.Post, TokenPath) { Content = new FormUrlEncodedContent(form) };
            request.Options.Set(VkAdsAuthHandler.Anonymous, true);
            return request;
        },
            root => ReadToken(root, previousRefresh), cancellationToken);

    /// <summary><c>expires_in</c> comes as 86400 or "86400"; a refresh answer may omit the refresh_token when it is unchanged.</summary>
    private VkAdsToken ReadToken(JsonElement root, string? previousRefresh)
    {
        var access = VkAdsJson.Text(root, "access_token") is { Length: > 0 } text ? text : throw new VkAdsFormatException("the token answer has no access_token");
        var refresh = VkAdsJson.Text(root, "refresh_token");
        var lifetime = VkAdsJson.OptionalLong(root, "expires_in") ?? 86_400;
        return new VkAdsToken(access, refresh.Length > 0 ? refresh : previousRefresh ?? "", time.GetUtcNow().AddSeconds(lifetime));
    }

    public void Dispose() => _gate.Dispose();
}
