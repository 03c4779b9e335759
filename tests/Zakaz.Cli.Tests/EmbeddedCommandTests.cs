namespace Zakaz.Cli.Tests;

/// <summary>The commands on the embedded store, as the README's acceptance steps run them.</summary>
public class EmbeddedCommandTests
{
    [Fact]
    public async Task Query_prints_the_result_in_the_requested_format()
    {
        var data = ZakazProcess.NewDataDirectory();

        var tsv = await ZakazProcess.RunAsync("--data", data, "query", "SELECT 1 + 1", "--format", "TSV");
        var csv = await ZakazProcess.RunAsync("query", "SELECT 'a,b' AS x, 2 AS y", "--format=CSV", "--data", data);
        var json = await ZakazProcess.RunAsync("--data", data, "query", "SELECT 'томск' AS city", "--format", "JSONEachRow");

        Assert.Equal((0, "2\n"), (tsv.ExitCode, tsv.Output));
        Assert.Equal("\"a,b\",2\n", csv.Output);
        Assert.Equal("{\"city\":\"томск\"}\n", json.Output);
    }

    [Fact]
    public async Task A_command_on_a_store_nobody_migrated_says_to_migrate()
    {
        var data = ZakazProcess.NewDataDirectory();

        var run = await ZakazProcess.RunAsync("--data", data, "facts", "rebuild");

        Assert.Equal(1, run.ExitCode);
        var line = Assert.Single(run.ErrorLines);
        Assert.EndsWith("the store has no Zakaz schema yet; run `zakaz db migrate` first.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_twice_applies_everything_once()
    {
        var data = ZakazProcess.NewDataDirectory();

        var first = await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        var second = await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        var status = await ZakazProcess.RunAsync("--data", data, "db", "status");
        var ledger = await ZakazProcess.RunAsync("--data", data, "query", "SELECT count() FROM zakaz.schema_migrations", "--format", "TSV");

        Assert.Equal(0, first.ExitCode);
        var shipped = Storage.Migrations.MigrationSet.Embedded().Migrations.Count;
        Assert.Contains($"Applied {shipped} migration(s)", first.Output, StringComparison.Ordinal);
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("Nothing to apply", second.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("Applying", second.Output, StringComparison.Ordinal);
        Assert.Contains("0001_databases.sql", status.Output, StringComparison.Ordinal);
        Assert.Contains("Up to date.", status.Output, StringComparison.Ordinal);
        Assert.Equal($"{shipped}\n", ledger.Output);
    }

    [Fact]
    public async Task Dry_run_with_a_cluster_prints_replicated_sql_and_changes_nothing()
    {
        var data = ZakazProcess.NewDataDirectory();

        var plan = await ZakazProcess.RunAsync("--data", data, "db", "migrate", "--dry-run", "--cluster", "prod");
        var status = await ZakazProcess.RunAsync("--data", data, "db", "status");

        Assert.Equal(0, plan.ExitCode);
        Assert.Contains("CREATE DATABASE IF NOT EXISTS zakaz ON CLUSTER prod", plan.Output, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", plan.Output, StringComparison.Ordinal);
        Assert.Contains("pending", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Demo_loads_the_sandboxes_into_the_embedded_store_and_matches_their_ground_truth()
    {
        var data = ZakazProcess.NewDataDirectory();

        var demo = await ZakazProcess.RunAsync("--data", data, "demo", "--orders", "1500", "--no-serve");
        var again = await ZakazProcess.RunAsync("--data", data, "demo", "--orders", "1500", "--no-serve");

        Assert.True(demo.ExitCode == 0, demo.Output + demo.Error);
        Assert.Matches(@"Engine:\s+chDB 26\.7\.", demo.Output);
        Assert.Contains("zakaz: 33 table(s), 6 view(s); bi: 0 table(s), 25 view(s)", demo.Output, StringComparison.Ordinal);
        // Russian number format: groups separated by a no-break space, a comma before kopecks.
        Assert.Matches(@"Sales:\s+[\d\u00A0]+ orders, [\d\u00A0]+ tickets, [\d\u00A0]+,\d\d ₽ across \d+ events in \d+ cities", demo.Output);
        Assert.Contains("Check:      equals the sandbox's ground truth", demo.Output, StringComparison.Ordinal);
        Assert.Matches(@"\n  unknown\s+[\d\u00A0]+,\d\d\s+[\d\u00A0]+,\d\d\s+0,00\s+0,00\s+-1,00\s+—\n", demo.Output);
        Assert.Matches(@"\n  total\s+[\d\u00A0]+,\d\d\s+[\d\u00A0]+,\d\d\s+[\d\u00A0]+,\d\d\s+\d+,\d\d\s+-?\d+,\d\d\s+[\d\u00A0]+,\d\d\n", demo.Output);
        Assert.Contains("Check:      spend per city equals the VK Ads and Yandex Direct sandboxes' truth", demo.Output, StringComparison.Ordinal);
        Assert.True(again.ExitCode == 0, again.Output + again.Error);
        Assert.Contains("Cleared the data of the previous demo in this store", again.Output, StringComparison.Ordinal);
        Assert.Contains("Check:      equals the sandbox's ground truth", again.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_directory_comes_from_the_environment_unless_a_flag_overrides_it()
    {
        var fromEnvironment = ZakazProcess.NewDataDirectory();
        var fromFlag = ZakazProcess.NewDataDirectory();
        var environment = new Dictionary<string, string?> { ["ZAKAZ_DATA_DIR"] = fromEnvironment };

        await ZakazProcess.RunAsync(["db", "migrate"], environment);
        await ZakazProcess.RunAsync(["--data", fromFlag, "query", "SELECT 1"], environment);

        Assert.True(Directory.Exists(Path.Combine(fromEnvironment)));
        Assert.True(Directory.Exists(fromFlag));
        var status = await ZakazProcess.RunAsync(["db", "status"], environment);
        Assert.Contains("Up to date.", status.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_statement_is_one_line_on_stderr_and_exit_code_1()
    {
        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "query", "SELEC 1");

        Assert.Equal(1, run.ExitCode);
        Assert.Single(run.ErrorLines);
        Assert.StartsWith("zakaz: error: ClickHouse error 62: Syntax error", run.ErrorLines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_chDB_library_is_reported_with_the_fix()
    {
        var environment = new Dictionary<string, string?> { ["ZAKAZ_CHDB_LIBRARY"] = "/nonexistent/libchdb.so" };

        var query = await ZakazProcess.RunAsync(["--data", ZakazProcess.NewDataDirectory(), "query", "SELECT 1"], environment);
        var doctor = await ZakazProcess.RunAsync(["--data", ZakazProcess.NewDataDirectory(), "doctor"], environment);

        Assert.Equal(1, query.ExitCode);
        Assert.Equal("zakaz: error: chDB library not found at /nonexistent/libchdb.so. Run scripts/install-chdb.sh (./zakaz does this on first use) or set ZAKAZ_CHDB_LIBRARY to a libchdb.so 26.7.3-stable.1.",
            query.ErrorLines.Single());
        Assert.Equal(1, doctor.ExitCode);
        Assert.Contains("[FAIL] chdb library", doctor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_passes_on_a_healthy_embedded_store()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var doctor = await ZakazProcess.RunAsync("--data", data, "doctor");

        Assert.Equal(0, doctor.ExitCode);
        Assert.Contains("[ok  ] store", doctor.Output, StringComparison.Ordinal);
        Assert.Contains("[ok  ] schema", doctor.Output, StringComparison.Ordinal);
        Assert.Contains("All checks passed.", doctor.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_env_file_sets_the_data_directory()
    {
        var data = ZakazProcess.NewDataDirectory();
        var envFile = Path.GetTempFileName();
        await File.WriteAllTextAsync(envFile, $"# test settings\nZAKAZ_DATA_DIR=\"{data}\"\n");

        var run = await ZakazProcess.RunAsync("--env-file", envFile, "db", "migrate");

        Assert.Equal(0, run.ExitCode);
        Assert.Contains(data, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_held_by_another_process_is_refused_in_one_line()
    {
        var data = ZakazProcess.NewDataDirectory();
        var holder = ZakazProcess.RunAsync("--data", data, "query", "SELECT sleep(3)");
        var status = Path.Combine(data, "status");
        for (var waited = 0; !File.Exists(status) && waited < 200; waited++)
        {
            await Task.Delay(50);
        }

        var second = await ZakazProcess.RunAsync("--data", data, "query", "SELECT 1");

        Assert.Equal(1, second.ExitCode);
        Assert.Equal($"zakaz: error: The data directory {data} is in use by another process (one process per data directory). Stop that process, or use another --data directory.",
            Assert.Single(second.ErrorLines));
        Assert.Equal(0, (await holder).ExitCode);
    }
}
