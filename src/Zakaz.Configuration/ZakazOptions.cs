using Zakaz.Storage;

namespace Zakaz.Configuration;

/// <summary>Every setting of the application, bound from appsettings.json, the environment, an env file and flags.</summary>
/// <remarks>
/// A new section is a new property here plus its rows in <see cref="ConfigurationKeys.All"/>.
/// The option classes are classes, not records, so that no generated ToString prints a secret.
/// </remarks>
public sealed class ZakazOptions
{
    public StorageOptions Storage { get; set; } = new();

    public QticketsOptions Qtickets { get; set; } = new();

    public VkAdsOptions VkAds { get; set; } = new();

    public GoogleSheetsOptions GoogleSheets { get; set; } = new();
    public DashboardSettings Dashboard { get; set; } = new();

    /// <summary>Print progress details (<c>--verbose</c>, <c>ZAKAZ_VERBOSE</c>).</summary>
    public bool Verbose { get; set; }

    /// <summary>Every setting with secrets masked, so the options can be logged safely.</summary>
    public override string ToString() =>
        string.Join(", ", ConfigurationKeys.All.Select(key => $"{key.Key}={key.Display(this) ?? ConfigurationEntry.NotSet}"));
}
