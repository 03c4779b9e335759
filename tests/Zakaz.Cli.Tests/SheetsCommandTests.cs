using Zakaz.Sandbox.GoogleSheets;

namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz sync sheets</c> as an operator runs it, against the local Google server.</summary>
public class SheetsCommandTests
{
    [Fact]
    public async Task A_link_shared_plan_is_loaded_and_an_unknown_sheet_is_one_line_exit_1_and_an_error_row()
    {
        await using var google = await GoogleSheetsSandbox.StartAsync();
        google.AddSpreadsheet("plan-sheet", sharedByLink: true, new SandboxTab("План", 7,
        [
            ["sales_date", "event_id", "city", "plan_tickets", "plan_revenue"],
            ["2025-03-01", "7", "spb", "12", "3 600,00"],
        ]));
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var synced = await ZakazProcess.RunAsync(["--data", data, "sync", "sheets"],
            new Dictionary<string, string?> { ["GOOGLE_SHEETS_PLAN_URL"] = google.ExportUrl("plan-sheet", 7).ToString() });
        var missing = await ZakazProcess.RunAsync(["--data", data, "sync", "sheets"],
            new Dictionary<string, string?> { ["GOOGLE_SHEETS_PLAN_URL"] = google.ExportUrl("gone", 0).ToString() });
        var plan = await ZakazProcess.RunAsync("--data", data, "query", "SELECT d, event_id, city, plan_tickets, plan_revenue FROM bi.v_plan_vs_fact", "--format", "TSV");
        var runs = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT status FROM zakaz.meta_job_runs FINAL WHERE job = 'sheets.sync' ORDER BY started_at, _ver", "--format", "TSV");

        Assert.Equal(0, synced.ExitCode);
        Assert.Equal("zakaz.plan_sales: wrote 1 plan row(s) for 2025-03-01 from plan tab\n", synced.Output);
        Assert.Equal(1, missing.ExitCode);
        Assert.Equal($"zakaz: error: The sheet at {google.RootUrl}spreadsheets/d/gone/export does not exist (HTTP 404): check the spreadsheet id and gid in GOOGLE_SHEETS_PLAN_URL.",
            Assert.Single(missing.ErrorLines, l => l.StartsWith("zakaz:", StringComparison.Ordinal)));
        Assert.Equal("2025-03-01\t7\tсанкт-петербург\t12\t3600\n", plan.Output);
        Assert.Equal("ok\nerror\n", runs.Output);
    }
}
