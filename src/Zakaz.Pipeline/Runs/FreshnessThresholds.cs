using Zakaz.Configuration;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Runs;

/// <summary>
/// How stale each source may get before its light in <c>bi.v_ops_freshness</c> turns amber and red (ZAKAZ_FRESHNESS_*).
/// The view reads them from <c>zakaz.meta_freshness_thresholds</c>, so external BI tools and the alerts see the same
/// lights as the dashboard; <c>zakaz serve</c> writes them there when it starts.
/// </summary>
public sealed class FreshnessThresholds
{
    public int QticketsAmberMinutes { get; set; } = 120;

    public int QticketsRedMinutes { get; set; } = 360;

    public int VkAdsAmberMinutes { get; set; } = 120;

    public int VkAdsRedMinutes { get; set; } = 360;

    /// <summary>Direct is loaded every 3 hours by default: 2 hours would be amber most of the time.</summary>
    public int YandexDirectAmberMinutes { get; set; } = 240;

    public int YandexDirectRedMinutes { get; set; } = 720;

    public async Task WriteAsync(IClickHouseStore store, TimeProvider time, CancellationToken cancellationToken = default)
    {
        (string Source, int Amber, int Red)[] thresholds =
        [
            ("qtickets", QticketsAmberMinutes, QticketsRedMinutes),
            ("vk_ads", VkAdsAmberMinutes, VkAdsRedMinutes),
            ("yandex_direct", YandexDirectAmberMinutes, YandexDirectRedMinutes),
        ];
        if (thresholds.FirstOrDefault(t => t.Red < t.Amber) is { Source: { } late } wrong)
        {
            throw new ConfigurationException($"The {late} freshness light would turn red after {wrong.Red} minutes, before it turns amber after {wrong.Amber}: set its ZAKAZ_FRESHNESS_*_RED_MINUTES at least as long as its _AMBER_MINUTES.");
        }
        var version = (ulong)time.GetUtcNow().ToUnixTimeMilliseconds();
        await store.InsertAsync("zakaz.meta_freshness_thresholds", Schema, thresholds.Select(t => (t.Source, (uint)t.Amber, (uint)t.Red, version)),
            cancellationToken: cancellationToken);
    }

    private static RowSchema<(string Source, uint Amber, uint Red, ulong Version)> Schema { get; } =
        new RowSchema<(string Source, uint Amber, uint Red, ulong Version)>()
            .Column("source", "LowCardinality(String)", r => r.Source)
            .Column("amber_after_minutes", "UInt32", r => r.Amber)
            .Column("red_after_minutes", "UInt32", r => r.Red)
            .Column("_ver", "UInt64", r => r.Version);
}
