using Zakaz.Configuration;
using Zakaz.Notifications;
using Zakaz.Operations.Alerts;
using Zakaz.Operations.Backups;
using Zakaz.Operations.Digest;
using Zakaz.Pipeline.Runs;
using Zakaz.Sources.GoogleSheets;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;

namespace Zakaz.Web;

/// <summary>Every setting of the application, bound from appsettings.json, the environment, an env file and flags.</summary>
/// <remarks>
/// Each section is the options class of the project that uses it; a new section is a new property here plus its
/// rows in <see cref="ConfigurationKeys.All"/>, whose keys are the property paths. It lives with the web app, the
/// one process that runs every source.
/// The option classes are classes, not records, so that no generated ToString prints a secret.
/// </remarks>
public sealed class ZakazOptions
{
    public StorageOptions Storage { get; set; } = new();

    public QticketsOptions Qtickets { get; set; } = new();

    public VkAdsOptions VkAds { get; set; } = new();

    public YandexDirectOptions YandexDirect { get; set; } = new();

    public GoogleSheetsOptions GoogleSheets { get; set; } = new();

    public DashboardSettings Dashboard { get; set; } = new();

    public FreshnessThresholds Freshness { get; set; } = new();

    public ChannelOptions Channels { get; set; } = new();

    public AlertOptions Alerts { get; set; } = new();

    public DigestOptions Digest { get; set; } = new();

    public BackupOptions Backup { get; set; } = new();

    public bool Verbose { get; set; }

    public string LogFormat { get; set; } = "line";

    /// <summary>Every setting with secrets masked, so the options can be logged safely.</summary>
    public override string ToString() =>
        string.Join(", ", ConfigurationKeys.All.Select(key => $"{key.Key}={key.Display(this) ?? ConfigurationEntry.NotSet}"));
}
