using Zakaz.Configuration;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.YandexDirect;

/// <summary>How <see cref="YandexDirectClient"/> reaches the Direct API v5 and how hard it tries (spec §1–§3).</summary>
public sealed class YandexDirectClientOptions : SourceHttpOptions
{
    /// <summary>
    /// Longer backoff than the shared default: Direct's "try later" errors (56, 9000: a full offline queue) ask for
    /// about 10 s, which 2 + 4 + 8 + … s of six attempts cover.
    /// </summary>
    public YandexDirectClientOptions()
    {
        MaxAttempts = 6;
        RetryBaseDelay = TimeSpan.FromSeconds(2);
    }

    /// <summary>The JSON API root, with or without the trailing slash; <c>reports</c>, <c>campaigns</c>… are below it.</summary>
    public Uri BaseUrl { get; init; } = new("https://api.direct.yandex.com/json/v5/");

    /// <summary>The OAuth token; a secret: never logged, never part of an error message.</summary>
    public required string Token { get; init; }

    /// <summary>An agency's advertiser, sent as <c>Client-Login</c> on every call; null for the token owner's own account.</summary>
    public string? ClientLogin { get; init; }

    public bool IncludeVat { get; init; } = true;

    /// <summary>Days per report part; a 502 (building took too long) halves it for the rest of the read.</summary>
    public int ReportDays { get; init; } = 31;

    /// <summary>Objects per page of a <c>get</c> (the documented maximum is 10,000).</summary>
    public int PageLimit { get; init; } = 10_000;

    /// <summary>Campaign ids per ad group or ad <c>get</c> (the services take at most 10).</summary>
    public int CampaignIdsPerCall { get; init; } = 10;

    /// <summary>The longest one report part may stay in offline building, every <c>retryIn</c> wait added up.</summary>
    public TimeSpan MaxOfflineWait { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The client settings for the configured account; fails when no token is configured.</summary>
    public static YandexDirectClientOptions FromConfiguration(YandexDirectOptions options) =>
        string.IsNullOrWhiteSpace(options.Token)
            ? throw new ConfigurationException("The Yandex Direct token is not set: set YANDEX_DIRECT_TOKEN (YandexDirect:Token), an OAuth token with the direct:api scope from oauth.yandex.ru.")
            : new YandexDirectClientOptions
            {
                BaseUrl = options.BaseUrl,
                Token = options.Token.Trim(),
                ClientLogin = string.IsNullOrWhiteSpace(options.ClientLogin) ? null : options.ClientLogin.Trim(),
                IncludeVat = options.IncludeVat,
            };

    /// <summary>The root every service path is resolved against: the base URL's path kept, ending in '/'.</summary>
    internal Uri Root => new(BaseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/') + "/");

    internal YandexDirectClientOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Token);
        ArgumentOutOfRangeException.ThrowIfLessThan(ReportDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(PageLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(CampaignIdsPerCall, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxOfflineWait, TimeSpan.Zero);
        if (!BaseUrl.IsAbsoluteUri)
        {
            throw new ArgumentException($"The Yandex Direct base URL '{BaseUrl}' is not absolute.", nameof(BaseUrl));
        }
        ValidateRetries();
        return this;
    }
}
