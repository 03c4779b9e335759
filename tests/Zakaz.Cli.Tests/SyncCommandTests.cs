using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz sync qtickets</c> as an operator runs it: over the shared fixtures, and against a sandbox with a wrong token.</summary>
public class SyncCommandTests
{
    private static readonly string Fixtures = Path.Combine(RepositoryRoot(), "tests", "Zakaz.Sources.Qtickets.Tests", "Fixtures");

    [Fact]
    public async Task A_sync_over_the_fixtures_loads_the_expected_revenue_and_records_the_run()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var sync = await ZakazProcess.RunAsync("--data", data, "sync", "qtickets", "--fixtures", Fixtures, "--since", "2025-10-01");
        var totals = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT sum(orders), sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily", "--format", "TSV");
        var runs = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT job, status FROM zakaz.meta_job_runs FINAL", "--format", "TSV");

        Assert.Equal(0, sync.ExitCode);
        Assert.Contains("zakaz.stg_qtickets_api_orders_raw: wrote 7 row(s)", sync.Output, StringComparison.Ordinal);
        Assert.Contains("order page(s) fetched", sync.Error, StringComparison.Ordinal);
        Assert.Equal("6\t10\t15900.00\n", totals.Output);
        Assert.Equal("qtickets.orders\tok\n", runs.Output);
    }

    [Fact]
    public async Task Reconciles_are_recorded_under_their_own_jobs_and_all_goes_with_reconcile_only()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var full = await ZakazProcess.RunAsync("--data", data, "sync", "qtickets", "--fixtures", Fixtures, "--reconcile", "--all");
        var recent = await ZakazProcess.RunAsync("--data", data, "sync", "qtickets", "--fixtures", Fixtures, "--reconcile");
        var alone = await ZakazProcess.RunAsync("--data", data, "sync", "qtickets", "--fixtures", Fixtures, "--all");
        var runs = await ZakazProcess.RunAsync("--data", data, "query", "SELECT job, status FROM zakaz.meta_job_runs FINAL ORDER BY job", "--format", "TSV");
        var totals = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT sum(orders), sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily", "--format", "TSV");

        Assert.Equal((0, 0, Zakaz.Cli.ZakazCli.Usage), (full.ExitCode, recent.ExitCode, alone.ExitCode));
        Assert.Contains("Qtickets: reading every order", full.Error, StringComparison.Ordinal);
        Assert.Equal("zakaz: --all goes with --reconcile, without --days.", alone.ErrorLines[0]);
        Assert.Equal("qtickets.reconcile\tok\nqtickets.reconcile_full\tok\n", runs.Output);
        Assert.Equal("6\t10\t15900.00\n", totals.Output);
    }

    [Fact]
    public async Task A_dry_run_prints_what_it_would_write_and_writes_nothing()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var sync = await ZakazProcess.RunAsync("--data", data, "sync", "qtickets", "--fixtures", Fixtures, "--since", "2025-10-01", "--dry-run");
        var written = await ZakazProcess.RunAsync("--data", data, "query", """
            SELECT (SELECT count() FROM zakaz.stg_qtickets_api_orders_raw) + (SELECT count() FROM zakaz.dim_events)
                 + (SELECT count() FROM zakaz.meta_job_runs) + (SELECT count() FROM zakaz.meta_watermarks)
            """, "--format", "TSV");

        Assert.Equal(0, sync.ExitCode);
        Assert.StartsWith("Dry run: nothing was written.\n", sync.Output, StringComparison.Ordinal);
        Assert.Contains("zakaz.stg_qtickets_api_orders_raw: would write 7 row(s)", sync.Output, StringComparison.Ordinal);
        Assert.Contains("Sale dates to rebuild: 5 (2025-11-01..2025-11-02, 2025-11-05, 2025-11-08..2025-11-09)", sync.Output, StringComparison.Ordinal);
        Assert.Equal("0\n", written.Output);
    }

    [Fact]
    public void A_backfills_hundreds_of_sale_dates_print_as_a_count_and_the_first_runs()
    {
        var first = new DateOnly(2026, 1, 1);
        // Eight runs of two days each, a day apart.
        var dates = Enumerable.Range(0, 8).SelectMany(run => new[] { first.AddDays(run * 3), first.AddDays(run * 3 + 1) }).ToArray();

        Assert.Equal("none", Zakaz.Cli.Commands.SyncCommand.SaleDates([]));
        Assert.Equal("1 (2026-01-01)", Zakaz.Cli.Commands.SyncCommand.SaleDates([first]));
        Assert.Equal("16 (2026-01-01..2026-01-02, 2026-01-04..2026-01-05, 2026-01-07..2026-01-08, 2026-01-10..2026-01-11, " +
            "2026-01-13..2026-01-14, 2026-01-16..2026-01-17 and 2 more run(s))", Zakaz.Cli.Commands.SyncCommand.SaleDates(dates));
    }

    [Fact]
    public async Task A_wrong_token_is_one_line_exit_1_and_an_error_row()
    {
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = 50 });
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var sync = await ZakazProcess.RunAsync(["--data", data, "sync", "qtickets"], new Dictionary<string, string?>
        {
            ["QTICKETS_TOKEN"] = "not-the-token",
            ["QTICKETS_BASE_URL"] = sandbox.BaseUrl.ToString(),
        });
        var runs = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT status, message FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders'", "--format", "TSV");

        Assert.Equal(1, sync.ExitCode);
        var line = Assert.Single(sync.ErrorLines, l => l.StartsWith("zakaz:", StringComparison.Ordinal));
        Assert.Contains("Qtickets rejected the token (HTTP 403", line, StringComparison.Ordinal);
        Assert.Contains("check QTICKETS_TOKEN", line, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-token", sync.Error, StringComparison.Ordinal);
        Assert.StartsWith("error\tQtickets rejected the token (HTTP 403", runs.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_token_is_one_clear_line()
    {
        var sync = await ZakazProcess.RunAsync(["--data", ZakazProcess.NewDataDirectory(), "sync", "qtickets"],
            new Dictionary<string, string?> { ["QTICKETS_TOKEN"] = null });

        Assert.Equal(1, sync.ExitCode);
        Assert.Equal(["zakaz: error: The Qtickets token is not set: set QTICKETS_TOKEN (Qtickets:Token)."], sync.ErrorLines);
    }

    internal static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Zakaz.slnx")))
        {
            directory = directory.Parent;
        }
        return directory?.FullName ?? throw new InvalidOperationException("The tests run outside the repository.");
    }
}
