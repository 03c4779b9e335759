using System.Security.Cryptography;
using Zakaz.Configuration;
using Zakaz.Pipeline.Sheets;
using Zakaz.Sandbox.GoogleSheets;
using Zakaz.Sources.GoogleSheets;
using Zakaz.Testing;
using static Zakaz.Pipeline.Tests.PipelineQueries;

namespace Zakaz.Pipeline.Tests.Sheets;

/// <summary>
/// <c>zakaz sync sheets</c> against the local Google server: CSV export and the Sheets API with a
/// service account whose key is generated here, headers in English or Russian, bad rows, and the
/// refusals (not shared, unknown sheet, a forged or expired JWT).
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class SheetsSyncTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private const string Sheet = "1AbCdEfGh";
    private const string Account = "zakaz-reader@zakaz-sandbox.iam.gserviceaccount.com";

    private static readonly string[][] Plan =
    [
        ["Дата", "Мероприятие", "Город", "План билетов", "План выручки"],
        ["01.03.2025", "101", "Томск", "1 000", "1 234 567,50"],
        ["02.03.2025", "102", "msk", "10", "5 000"],
    ];

    private static readonly string[][] Inventory =
    [
        ["event_id", "capacity", "tickets_left", "city"],
        ["101", "500", "100", "tomsk"],
        ["102", "300", "120", "msk"],
    ];

    private readonly HttpClient _http = GoogleSheetsSource.CreateHttpClient(new GoogleSheetsClientOptions { RetryBaseDelay = TimeSpan.FromMilliseconds(5) });
    private GoogleSheetsSandbox _google = null!;
    private string _keyFile = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        _google = await GoogleSheetsSandbox.StartAsync();
        _google.AddSpreadsheet(Sheet, sharedByLink: true, new SandboxTab("План", 0, Plan), new SandboxTab("Остатки", 42, Inventory));
        _keyFile = Path.Combine(Path.GetTempPath(), $"zakaz-sa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(_keyFile, _google.CreateServiceAccount(Account));
        _google.Share(Sheet, Account);
        // Qtickets reports the seats of event 101 (show 5), so the sheet's figures apply to 102 only.
        await schema.Store.ExecuteAsync("INSERT INTO zakaz.dim_shows (show_id, event_id, deleted, _ver) VALUES (5, 101, 0, 1)");
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.stg_qtickets_api_inventory_raw (snapshot_ts, event_id, show_id, city, tickets_total, tickets_left, _ver)
            VALUES ('2025-02-01 12:00:00', 101, 5, 'томск', 800, 700, 1)
            """);
        await new Staging(schema.Store).Event(102, "Концерт Б", "москва");
    }

    public async Task DisposeAsync()
    {
        await _google.DisposeAsync();
        _http.Dispose();
        File.Delete(_keyFile);
    }

    [Fact]
    public async Task Csv_exports_load_the_plan_and_the_inventory_of_events_qtickets_has_no_seats_for()
    {
        var result = await Sync(new GoogleSheetsOptions { PlanUrl = _google.ExportUrl(Sheet, 0), InventoryUrl = _google.ExportUrl(Sheet, 42) });

        Assert.Equal((2, 1, 1), (result.Plan!.Rows, result.InventoryRows, result.InventorySkipped));
        await AssertLoadedAsync();
        Assert.Equal(0, _google.TokensIssued);
    }

    [Fact]
    public async Task The_sheets_api_with_a_service_account_reads_the_same_tabs()
    {
        var result = await Sync(ApiOptions());

        Assert.Equal((2, 1, 1), (result.Plan!.Rows, result.InventoryRows, result.InventorySkipped));
        await AssertLoadedAsync();
        Assert.Equal(1, _google.TokensIssued);
    }

    [Fact]
    public async Task A_storm_of_503s_on_the_token_and_values_routes_is_retried_away()
    {
        _google.FailNext(3);

        var result = await Sync(ApiOptions());

        Assert.Equal(2, result.Plan!.Rows);
        Assert.Equal(3, _google.FaultsFired);
        Assert.Equal(1, _google.TokensIssued);
    }

    [Fact]
    public async Task A_bad_row_in_either_tab_imports_nothing_and_is_named_by_its_sheet_row()
    {
        _google.AddSpreadsheet(Sheet, sharedByLink: true, new SandboxTab("План", 0, Plan),
            new SandboxTab("Остатки", 42, [["Мероприятие", "Вместимость", "Осталось"], ["102", "300", "301"], ["", "", ""], ["x", "1", "1"], ["103", "5000000000", "1"]]));
        _google.Share(Sheet, Account);

        var error = await Assert.ThrowsAsync<BadRowsException>(() => Sync(ApiOptions()));

        Assert.Equal(
            [
                new BadRow(2, "tickets_left 301 is more than tickets_total 300"),
                new BadRow(4, "event_id 'x' is not a number"),
                new BadRow(5, "tickets_total '5000000000' is more than 4294967295"),
            ],
            error.Rows);
        Assert.Equal("0\t1", await TextAsync(schema.Store,
            "SELECT (SELECT count() FROM zakaz.plan_sales), (SELECT count() FROM zakaz.stg_qtickets_api_inventory_raw)"));
        Assert.StartsWith("sheets.sync\terror\tinventory tab: 3 bad row(s)", await Runs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sheet_not_shared_by_link_says_how_to_share_it_and_records_an_error()
    {
        _google.AddSpreadsheet("private", sharedByLink: false, new SandboxTab("План", 0, Plan));

        var error = await Assert.ThrowsAsync<GoogleSheetsException>(() => Sync(new GoogleSheetsOptions { PlanUrl = _google.ExportUrl("private", 0) }));

        Assert.StartsWith($"The sheet at {_google.RootUrl}spreadsheets/d/private/export is not shared by link (HTTP 200, a sign-in page): share it as 'Anyone with the link can view'",
            error.Message, StringComparison.Ordinal);
        Assert.StartsWith("sheets.sync\terror\tThe sheet at", await Runs(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_refusals_name_the_sheet_and_the_fix()
    {
        _google.AddSpreadsheet("unshared", sharedByLink: false, new SandboxTab("План", 0, Plan));

        var forbidden = await Assert.ThrowsAsync<GoogleSheetsException>(() => Sync(ApiOptions("unshared")));
        var missing = await Assert.ThrowsAsync<GoogleSheetsException>(() => Sync(ApiOptions("nope")));
        var options = ApiOptions();
        options.PlanRange = "Продажи";
        var badRange = await Assert.ThrowsAsync<GoogleSheetsException>(() => Sync(options));

        Assert.Equal($"The service account {Account} may not read spreadsheet unshared (HTTP 403): share the spreadsheet with {Account} as a viewer.", forbidden.Message);
        Assert.Equal("Spreadsheet nope does not exist (HTTP 404): check GOOGLE_SHEETS_SPREADSHEET_ID.", missing.Message);
        Assert.Equal($"The Sheets API cannot read range 'Продажи' of spreadsheet {Sheet} (HTTP 400: Unable to parse range: Продажи): give a tab name or Tab!A1:E in the range setting.",
            badRange.Message);
    }

    [Fact]
    public async Task A_key_that_is_not_the_accounts_and_an_expired_assertion_are_refused()
    {
        using var forged = RSA.Create(2048);
        var forgedFile = Path.Combine(Path.GetTempPath(), $"zakaz-sa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(forgedFile, GoogleSheetsSandbox.ServiceAccountKeyJson(Account, forged, _google.TokenUrl));
        try
        {
            var options = ApiOptions();
            options.ServiceAccountKeyFile = forgedFile;
            var signature = await Assert.ThrowsAsync<GoogleSheetsException>(() => Sync(options));
            var expired = await Assert.ThrowsAsync<GoogleSheetsException>(() =>
                ServiceAccountToken.RequestAsync(_http, ServiceAccountKey.Load(_keyFile), DateTimeOffset.UtcNow.AddHours(-2), CancellationToken.None));

            Assert.Equal($"Google refused the service account {Account} a token (HTTP 400: Invalid JWT Signature.): check that the key file is current (keys can be revoked) and the machine's clock is right.",
                signature.Message);
            Assert.Contains("Token must be a short-lived token (60 minutes)", expired.Message, StringComparison.Ordinal);
            Assert.Equal(0, _google.TokensIssued);
        }
        finally
        {
            File.Delete(forgedFile);
        }
    }

    [Fact]
    public async Task A_broken_key_file_and_missing_settings_are_one_line_each()
    {
        var broken = Path.Combine(Path.GetTempPath(), $"zakaz-sa-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(broken, """{"type": "service_account", "client_email": "a@b", "private_key": "not a key"}""");
        try
        {
            var options = ApiOptions();
            options.ServiceAccountKeyFile = broken;
            var key = await Assert.ThrowsAsync<GoogleSheetsException>(() => Sync(options));
            var none = await Assert.ThrowsAsync<ConfigurationException>(() => Sync(new GoogleSheetsOptions()));

            Assert.Equal($"The service-account key file {broken} is not usable: its private_key is not a PEM RSA key. Download a JSON key of the service account from the Google Cloud console and set GOOGLE_SERVICE_ACCOUNT_KEY_FILE to it.",
                key.Message);
            Assert.StartsWith("Google Sheets is not configured: set GOOGLE_SHEETS_PLAN_URL", none.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(broken);
        }
    }

    private GoogleSheetsOptions ApiOptions(string spreadsheet = Sheet) => new()
    {
        SpreadsheetId = spreadsheet,
        PlanRange = "План",
        InventoryRange = "'Остатки'!A1:D",
        ServiceAccountKeyFile = _keyFile,
        ApiUrl = _google.RootUrl,
    };

    private Task<SheetsSyncResult> Sync(GoogleSheetsOptions options) =>
        new SheetsSync(schema.Store, options, _http).RunAsync();

    private Task<string> Runs() => TextAsync(schema.Store, "SELECT job, status, message FROM zakaz.meta_job_runs FINAL WHERE status != 'running'");

    private async Task AssertLoadedAsync()
    {
        Assert.Equal("""
            2025-03-01	101	томск	1000	1234567.5
            2025-03-02	102	москва	10	5000
            """.ReplaceLineEndings("\n"), await TextAsync(schema.Store, "SELECT d, event_id, city, plan_tickets, plan_revenue FROM bi.v_plan_vs_fact ORDER BY d"));
        Assert.Equal("""
            101	томск	800	700
            102	москва	300	120
            """.ReplaceLineEndings("\n"), await TextAsync(schema.Store,
            "SELECT event_id, city, tickets_total, tickets_left FROM zakaz.fact_qtickets_inventory_latest FINAL ORDER BY event_id"));
        Assert.Equal("sheets.sync\tok\t3", await TextAsync(schema.Store, "SELECT job, status, rows_processed FROM zakaz.meta_job_runs FINAL WHERE status != 'running'"));
    }
}
