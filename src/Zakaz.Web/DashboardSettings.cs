namespace Zakaz.Web;

/// <summary>
/// How <c>zakaz serve</c> lets people in and how often its scheduler runs the syncs; each setting is
/// described by its row in <see cref="Configuration.ConfigurationKeys.All"/>.
/// </summary>
public sealed class DashboardSettings
{
    public string? PasswordHash { get; set; }

    public Uri? PublicUrl { get; set; }

    public string? ApiToken { get; set; }

    public string? SessionKey { get; set; }

    public IReadOnlyList<System.Net.IPNetwork> TrustedProxies { get; set; } = [];

    public int QticketsSyncMinutes { get; set; } = 10;

    public int QticketsInventoryMinutes { get; set; } = 60;

    public TimeOnly ReconcileTime { get; set; } = new(4, 0);

    public int VkAdsSyncMinutes { get; set; } = 60;

    public int YandexDirectSyncMinutes { get; set; } = 180;

    public int AnswerCacheSeconds { get; set; } = 30;

    public int RoasGreenPercent { get; set; } = 150;

    public int RoasAmberPercent { get; set; } = 100;
}
