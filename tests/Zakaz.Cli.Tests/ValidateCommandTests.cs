namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz db validate</c> as a user runs it: on the shipped migrations and on a folder of planted defects.</summary>
public class ValidateCommandTests
{
    [Fact]
    public async Task The_shipped_migrations_pass_offline_without_touching_the_configured_stores()
    {
        var data = ZakazProcess.NewDataDirectory();

        // Nothing listens on port 9: validation must not try the server, nor open the data directory.
        var run = await ZakazProcess.RunAsync("--data", data, "--clickhouse", "http://127.0.0.1:9/", "db", "validate");

        Assert.Equal(0, run.ExitCode);
        var shipped = Storage.Migrations.MigrationSet.Embedded().Migrations;
        Assert.EndsWith($"db validate: {shipped.Count} files, {shipped.Sum(m => m.Statements.Count)} statements, no problems\n", run.Output, StringComparison.Ordinal);
        Assert.Equal("", run.Error);
        Assert.False(Directory.Exists(data));
    }

    [Fact]
    public async Task Every_planted_defect_is_one_line_and_the_exit_code_is_1()
    {
        var folder = Directory.CreateTempSubdirectory("zakaz-validate-test-").FullName;
        await File.WriteAllTextAsync(Path.Combine(folder, "0001_base.sql"), """
            -- planted defects: each marked line breaks one rule
            CREATE DATABASE IF NOT EXISTS vcli;
            CREATE TABLE vcli.orders
            (
                order_id UInt64,
                revenue Float64,
                created_at DateTime,
                _ver UInt64
            )
            ENGINE = ReplacingMergeTree
            PARTITION BY toYYYYMM(created_at)
            ORDER BY order_id;
            CREATE OR REPLACE VIEW vcli.v_revenue AS SELECT sum(revenue) AS revenue FROM vcli.orders;
            """);
        var garbled = CodePagesEncodingProvider.Instance.GetEncoding(1251)!.GetString(Encoding.UTF8.GetBytes("москва"));
        await File.WriteAllTextAsync(Path.Combine(folder, "0002_changes.sql"), $"""
            ALTER TABLE vcli.orders ADD COLUMN note String;
            TRUNCATE TABLE vcli.orders;
            GRANT SELECT ON vcli.orders TO vcli_ghost;
            SELECT '{garbled}' AS city;
            CREATE OR REPLACE VIEW vcli.v_broken AS SELECT missing_column FROM vcli.orders FINAL;
            """);
        await File.WriteAllBytesAsync(Path.Combine(folder, "0003 extra.sql"), [.. Encoding.UTF8.Preamble, .. "SELECT 1;\n"u8]);
        await File.WriteAllTextAsync(Path.Combine(folder, "notes.txt"), "DROP TABLE everything; -- not a .sql file, not read");

        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "db", "validate", "--dir", folder);

        Assert.Equal(1, run.ExitCode);
        string[] planted =
        [
            "0001_base.sql:3: create-idempotent: ",
            "0001_base.sql:6: money-decimal: ",
            "0001_base.sql:7: datetime-zone: ",
            "0001_base.sql:10: rmt-version: ",
            "0001_base.sql:13: final-read: ",
            "0002_changes.sql:1: add-column: ",
            "0002_changes.sql:2: no-destructive: ",
            "0002_changes.sql:3: grant-target: ",
            "0002_changes.sql:4: mojibake: ",
            "0002_changes.sql:5: semantic: ",
            "0003 extra.sql:1: migration-file: ",
            "0003 extra.sql:1: encoding: ",
        ];
        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(planted.Length, lines.Count(l => !l.StartsWith("note: ", StringComparison.Ordinal) && !l.StartsWith("db validate: ", StringComparison.Ordinal)));
        Assert.All(planted.Zip(lines), pair => Assert.StartsWith(pair.First, pair.Second, StringComparison.Ordinal));
        Assert.Contains("UNKNOWN_IDENTIFIER", lines[9], StringComparison.Ordinal);
        Assert.Equal($"db validate: 3 files, 9 statements, {planted.Length} problem(s)", lines[^1]);
        Assert.Equal("", run.Error);
    }
}
