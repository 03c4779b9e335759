using Zakaz.Configuration;
using Zakaz.Sources.Http;

namespace Zakaz.Sources.VkAds;

/// <summary>How <see cref="VkAdsClient"/> reaches ads.vk.com API v2 and how hard it tries (spec §1, §4, §6).</summary>
public sealed class VkAdsClientOptions : SourceHttpOptions
{
    /// <summary>Six attempts (429, 5xx, time-outs, resets), one request at a time (spec §4: sequential per token).</summary>
    public VkAdsClientOptions()
    {
        MaxAttempts = 6;
        MaxConcurrency = 1;
    }

    /// <summary>The host, e.g. <c>https://ads.vk.com</c>; paths below it start with <c>/api/v2/</c>.</summary>
    public Uri BaseUrl { get; init; } = new("https://ads.vk.com");

    public required string ClientId { get; init; }

    /// <summary>A secret: never logged, never part of an error message.</summary>
    public required string ClientSecret { get; init; }

    /// <summary>An agency's client (username, or a numeric user id): tokens come from <c>agency_client_credentials</c>.</summary>
    public string? AgencyClient { get; init; }

    /// <summary>Objects per list page (documented maximum 50).</summary>
    public int PageLimit { get; init; } = 50;

    /// <summary>Banner ids per statistics request (platform cap 200).</summary>
    public int StatsIds { get; init; } = 200;

    /// <summary>Days per statistics request; ERR_LIMIT_EXCEEDED halves it for the rest of the run.</summary>
    public int StatsDays { get; init; } = 31;

    /// <summary>A stored token is used while more than this much of its life is left, else refreshed first.</summary>
    public TimeSpan RefreshMargin { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Requests per second never exceed this, whatever the platform's limit says (spec §4: at most 3).</summary>
    public int MaxRequestsPerSecond { get; init; } = 3;

    /// <summary>The client settings for the configured account; fails when the client id or secret is missing.</summary>
    public static VkAdsClientOptions FromConfiguration(VkAdsOptions options) =>
        string.IsNullOrWhiteSpace(options.ClientId) || string.IsNullOrWhiteSpace(options.ClientSecret)
            ? throw new ConfigurationException("The VK Ads client is not set: set VK_ADS_CLIENT_ID and VK_ADS_CLIENT_SECRET (VkAds:ClientId, VkAds:ClientSecret).")
            : new VkAdsClientOptions
            {
                BaseUrl = options.BaseUrl,
                ClientId = options.ClientId,
                ClientSecret = options.ClientSecret,
                AgencyClient = string.IsNullOrWhiteSpace(options.AgencyClient) ? null : options.AgencyClient,
            };

    /// <summary>What a cached token belongs to: the host, the app and the agency client (spec §1).</summary>
    internal VkAdsTokenKey TokenKey => new(BaseUrl.GetLeftPart(UriPartial.Authority), ClientId, AgencyClient ?? "");

    internal VkAdsClientOptions Validated()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(ClientId);
        ArgumentException.ThrowIfNullOrWhiteSpace(ClientSecret);
        ArgumentOutOfRangeException.ThrowIfLessThan(PageLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(StatsIds, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(StatsDays, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRequestsPerSecond, 1);
        ValidateRetries();
        return this;
    }
}
