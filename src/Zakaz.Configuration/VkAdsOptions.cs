namespace Zakaz.Configuration;

/// <summary>How to reach the VK Ads API.</summary>
public sealed class VkAdsOptions
{
    public string? ClientId { get; set; }

    /// <summary>OAuth client secret (<c>VK_ADS_CLIENT_SECRET</c>); a secret.</summary>
    public string? ClientSecret { get; set; }

    public Uri BaseUrl { get; set; } = new("https://ads.vk.com");
}
