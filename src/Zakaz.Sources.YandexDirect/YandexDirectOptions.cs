namespace Zakaz.Sources.YandexDirect;

/// <summary>The Yandex Direct settings as configured (<c>YANDEX_DIRECT_*</c>, section <c>YandexDirect</c>).</summary>
public sealed class YandexDirectOptions
{
    /// <summary>OAuth token with the <c>direct:api</c> scope (<c>YANDEX_DIRECT_TOKEN</c>); a secret.</summary>
    public string? Token { get; set; }

    /// <summary>For an agency's token: the advertiser's login, sent as <c>Client-Login</c>; unset reads the token owner's own account.</summary>
    public string? ClientLogin { get; set; }

    /// <summary>The JSON API v5 root; the vendor's sandbox is <c>https://api-sandbox.direct.yandex.com/json/v5/</c>.</summary>
    public Uri BaseUrl { get; set; } = new("https://api.direct.yandex.com/json/v5/");

    /// <summary>Days before yesterday that every sync reads again, because Direct restates recent figures (spec §5).</summary>
    public int LookbackDays { get; set; } = 7;

    /// <summary>Spend with VAT (the default: ticket revenue and VK Ads spend include it) or without.</summary>
    public bool IncludeVat { get; set; } = true;
}
