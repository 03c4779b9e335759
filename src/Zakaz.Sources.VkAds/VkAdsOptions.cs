namespace Zakaz.Sources.VkAds;

public sealed class VkAdsOptions
{
    public string? ClientId { get; set; }

    /// <summary>OAuth client secret (<c>VK_ADS_CLIENT_SECRET</c>); a secret.</summary>
    public string? ClientSecret { get; set; }

    public Uri BaseUrl { get; set; } = new("https://ads.vk.com");

    /// <summary>An agency's client (username or user id) whose cabinet is read; unset reads the app's own account.</summary>
    public string? AgencyClient { get; set; }

    /// <summary>Days before yesterday that every sync reads again, because the platform restates recent figures.</summary>
    public int LookbackDays { get; set; } = 7;
}
