namespace Zakaz.Sources.GoogleSheets;

/// <summary>
/// Where <c>zakaz sync sheets</c> reads the plan and the fallback inventory: the CSV export URLs of a
/// link-shared sheet, or a spreadsheet read through the Sheets API v4 with a service-account key.
/// </summary>
public sealed class GoogleSheetsOptions
{
    /// <summary>CSV export URL of the plan tab (<c>.../export?format=csv&amp;gid=...</c>).</summary>
    public Uri? PlanUrl { get; set; }

    /// <summary>CSV export URL of the inventory tab.</summary>
    public Uri? InventoryUrl { get; set; }

    public string? SpreadsheetId { get; set; }

    /// <summary>A1 range of the plan tab for the API, e.g. <c>План</c> or <c>План!A1:E</c>.</summary>
    public string? PlanRange { get; set; }

    public string? InventoryRange { get; set; }

    /// <summary>Path of the service account's JSON key; the file holds a private key, the path does not.</summary>
    public string? ServiceAccountKeyFile { get; set; }

    public Uri ApiUrl { get; set; } = new("https://sheets.googleapis.com");
}
