using Zakaz.Configuration;
using Zakaz.Pipeline.Cities;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Plans;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Runs;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.GoogleSheets;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Sheets;

/// <summary>What a sheets sync wrote: the plan import, and the inventory rows written and skipped (Qtickets has those events' seats).</summary>
public sealed record SheetsSyncResult(PlanImportResult? Plan, int InventoryRows, int InventorySkipped, long InventoryLatestRows);

/// <summary>
/// <c>zakaz sync sheets</c>: the plan tab and the inventory tab of a Google Sheet, each read from its CSV
/// export URL or through the Sheets API with the service account. Both tabs are read and checked
/// before anything is written, so a bad row anywhere imports nothing. The plan replaces the plan of
/// its events and dates (as <see cref="PlanImport"/> does); inventory rows become event-level
/// snapshots, only for events Qtickets has no seats for, and the latest-inventory fact is rebuilt.
/// </summary>
public sealed class SheetsSync(
    IClickHouseStore store, GoogleSheetsOptions options, HttpClient http, IProgress<SyncProgress>? progress = null, TimeProvider? time = null)
{
    public const string Job = "sheets.sync";

    public static IReadOnlyList<SheetColumn> InventoryColumns { get; } =
    [
        new("event_id", true, "event", "мероприятие", "id мероприятия", "событие", "event id"),
        new("tickets_total", true, "capacity", "вместимость", "всего билетов", "емкость", "квота"),
        new("tickets_left", true, "left", "осталось", "остаток", "остаток билетов", "свободно"),
        new("city", false, "город"),
    ];

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public Task<SheetsSyncResult> RunAsync(CancellationToken cancellationToken = default) =>
        new JobRunLog(store, _time).RecordAsync(Job, SyncAsync, result => new RunSummary((result.Plan?.Rows ?? 0) + result.InventoryRows, new
        {
            plan = result.Plan is { } plan ? PlanImport.Metrics(plan) : null,
            inventory_rows = result.InventoryRows,
            inventory_skipped = result.InventorySkipped,
        }), cancellationToken: cancellationToken);

    private async Task<SheetsSyncResult> SyncAsync(CancellationToken cancellationToken)
    {
        var planTab = Tab("plan", options.PlanUrl, "GOOGLE_SHEETS_PLAN_URL", options.PlanRange);
        var inventoryTab = Tab("inventory", options.InventoryUrl, "GOOGLE_SHEETS_INVENTORY_URL", options.InventoryRange);
        if (planTab is null && inventoryTab is null)
        {
            throw new ConfigurationException(
                "Google Sheets is not configured: set GOOGLE_SHEETS_PLAN_URL and/or GOOGLE_SHEETS_INVENTORY_URL (CSV export URLs of a link-shared sheet), " +
                "or GOOGLE_SHEETS_SPREADSHEET_ID with GOOGLE_SHEETS_PLAN_RANGE and/or GOOGLE_SHEETS_INVENTORY_RANGE and GOOGLE_SERVICE_ACCOUNT_KEY_FILE.");
        }
        var needsKey = planTab?.Range is not null || inventoryTab?.Range is not null;
        var key = needsKey ? ServiceAccountKey.Load(options.ServiceAccountKeyFile
            ?? throw new ConfigurationException("Reading the spreadsheet through the Sheets API needs GOOGLE_SERVICE_ACCOUNT_KEY_FILE (the service account's JSON key).")) : null;
        var client = new GoogleSheetsClient(http, options.ApiUrl, key, _time);

        var plan = planTab is null ? null : await ReadAsync(client, planTab, cancellationToken);
        var inventory = inventoryTab is null ? null : await ReadAsync(client, inventoryTab, cancellationToken);
        var snapshot = _time.GetUtcNow();
        var version = JobRunLog.UnixMilliseconds(snapshot);
        var inventoryRows = inventory is null ? [] : await InventoryAsync(inventory, snapshot, version, cancellationToken);

        PlanImportResult? planResult = null;
        if (plan is not null)
        {
            planResult = await new PlanImport(store, _time).ImportAsync(plan, cancellationToken);
            Report($"{planResult.Rows} plan row(s) written to {PlanImport.Table}");
        }
        if (inventory is null)
        {
            return new SheetsSyncResult(planResult, 0, 0, 0);
        }
        var qticketsEvents = await new InventoryLatest(store).EventsWithQticketsInventoryAsync(cancellationToken);
        var fallback = inventoryRows.Where(r => !qticketsEvents.Contains(r.EventId)).ToArray();
        if (fallback.Length > 0)
        {
            await store.InsertAsync(QticketsTables.Inventory, QticketsTables.InventorySchema, fallback, cancellationToken: cancellationToken);
        }
        var latest = await new InventoryLatest(store).RebuildAsync(version, cancellationToken);
        Report($"{fallback.Length} inventory row(s) written to {QticketsTables.Inventory}; " +
            $"{inventoryRows.Count - fallback.Length} skipped (Qtickets has their seats)");
        return new SheetsSyncResult(planResult, fallback.Length, inventoryRows.Count - fallback.Length, latest);
    }

    private void Report(string message) => progress?.Report(new SyncProgress("Sheets", message));

    private SheetTab? Tab(string what, Uri? exportUrl, string urlSetting, string? range) =>
        exportUrl is not null ? new SheetTab($"{what} tab", exportUrl, urlSetting, null)
        : options.SpreadsheetId is { Length: > 0 } && range is { Length: > 0 } ? new SheetTab($"{what} tab", null, "", range)
        : null;

    private async Task<SheetTable> ReadAsync(GoogleSheetsClient client, SheetTab tab, CancellationToken cancellationToken)
    {
        if (tab.ExportUrl is { } url)
        {
            Report($"reading the {tab.Name} from its CSV export");
            return CsvText.Parse(tab.Name, await client.ExportCsvAsync(url, tab.Setting, cancellationToken));
        }
        Report($"reading the {tab.Name} ('{tab.Range}') through the Sheets API");
        var range = await client.ValuesAsync(options.SpreadsheetId!, tab.Range!, cancellationToken);
        return SheetTable.FromValues(tab.Name, range.Rows, range.FirstRow);
    }

    private async Task<IReadOnlyList<QticketsInventoryRow>> InventoryAsync(SheetTable table, DateTimeOffset snapshot, ulong version, CancellationToken cancellationToken)
    {
        var columns = SheetColumns.Locate(table, InventoryColumns);
        var cities = await CityAliases.LoadAsync(store, cancellationToken);
        return BadRowsException.ReadAll(table, ", ", (row, problems) =>
        {
            var eventId = SheetValues.Id(columns.Cell(row, "event_id"), out var eventProblem);
            var total = Seats(columns.Cell(row, "tickets_total"), out var totalProblem);
            var left = Seats(columns.Cell(row, "tickets_left"), out var leftProblem);
            problems.AddRange(new[] { ("event_id", eventProblem), ("tickets_total", totalProblem), ("tickets_left", leftProblem) }
                .Where(p => p.Item2 is not null).Select(p => $"{p.Item1} {p.Item2}"));
            if (total is { } t && left is { } l && l > t)
            {
                problems.Add($"tickets_left {l} is more than tickets_total {t}");
            }
            var city = columns.Cell(row, "city");
            return problems.Count > 0 ? null : new QticketsInventoryRow(snapshot, eventId!.Value, InventoryLatest.WholeEvent,
                City: city.Length == 0 ? "" : cities.Resolve(city), TicketsTotal: checked((uint)total!.Value), TicketsLeft: checked((uint)left!.Value),
                version, LoadedAt: snapshot);
        }, r => r.EventId, (_, earlier) => $"repeats line {earlier} (same event_id)");
    }

    /// <summary>A count of seats, which the inventory tables hold as UInt32.</summary>
    private static ulong? Seats(string text, out string? problem)
    {
        var seats = SheetValues.Count(text, out problem);
        if (seats > uint.MaxValue)
        {
            problem = string.Create(CultureInfo.InvariantCulture, $"'{text}' is more than {uint.MaxValue}");
            return null;
        }
        return seats;
    }

    private sealed record SheetTab(string Name, Uri? ExportUrl, string Setting, string? Range);
}
