using Microsoft.Extensions.Time.Testing;
using Zakaz.Storage.Migrations;

namespace Zakaz.Storage.Tests.Migrations;

/// <summary>The runner against real chDB; each test migrates a database of its own and keeps its ledger there.</summary>
[Collection(EmbeddedStoreCollection.Name)]
public sealed class MigrationRunnerTests(EmbeddedStoreFixture fixture) : IAsyncLifetime
{
    private readonly string _database = EmbeddedStoreFixture.NewDatabaseName();

    private IClickHouseStore Store => fixture.Store;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await Store.ExecuteAsync($"DROP DATABASE IF EXISTS {_database}");

    private (string, string) CreateTable => ("0001_create_table.sql", $"""
        -- The test database; the ledger lives here too.
        CREATE DATABASE IF NOT EXISTS {_database};
        CREATE TABLE {_database}.t (x UInt32, note String) ENGINE = MergeTree ORDER BY x;
        """);

    private (string, string) InsertRows => ("0002_insert_rows.sql", $"INSERT INTO {_database}.t VALUES (1, 'semi;colon'), (2, 'it''s');");

    private MigrationRunner Runner(MigrationSet migrations, bool dryRun = false, string? cluster = null) =>
        new(Store, migrations, new MigrationOptions { LedgerDatabase = _database, DryRun = dryRun, Cluster = cluster });

    [Fact]
    public async Task Migrating_twice_applies_each_file_once()
    {
        var migrations = MigrationSet.FromFiles([CreateTable, InsertRows]);
        var log = new ProgressList();

        var first = await Runner(migrations).MigrateAsync(log);
        var linesOfFirstRun = log.Count;
        var second = await Runner(migrations).MigrateAsync(log);

        Assert.Equal([1u, 2u], first.Migrations.Select(m => m.Migration.Version));
        Assert.Empty(second.Migrations);
        Assert.Equal(2UL, await CountAsync($"{_database}.t"));
        Assert.Equal(2UL, await CountAsync($"{_database}.schema_migrations"));
        Assert.Equal(linesOfFirstRun, log.Count);
    }

    [Fact]
    public async Task The_ledger_records_name_checksum_and_time_of_each_file()
    {
        var migrations = MigrationSet.FromFiles([CreateTable, InsertRows]);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        await Runner(MigrationSet.FromFiles([CreateTable])).MigrateAsync();
        var status = await Runner(migrations).GetStatusAsync();

        var (applied, pending) = (status.Migrations[0], status.Migrations[1]);
        Assert.Equal(("create_table", migrations.Migrations[0].Checksum), (applied.Applied!.Name, applied.Applied.Checksum));
        Assert.InRange(applied.Applied.AppliedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));
        Assert.True(applied.ChecksumMatches);
        Assert.Equal((false, (bool?)null), (pending.IsApplied, pending.ChecksumMatches));
        Assert.Equal([pending], status.Pending);
        Assert.Empty(status.UnknownApplied);
    }

    [Fact]
    public async Task Ledger_rows_without_a_file_are_reported_as_unknown()
    {
        await Runner(MigrationSet.FromFiles([CreateTable, InsertRows])).MigrateAsync();

        var status = await Runner(MigrationSet.FromFiles([CreateTable])).GetStatusAsync();

        Assert.Equal(2u, Assert.Single(status.UnknownApplied).Version);
    }

    [Fact]
    public async Task An_edited_applied_file_stops_the_run_before_anything_is_applied()
    {
        await Runner(MigrationSet.FromFiles([CreateTable])).MigrateAsync();
        var (fileName, content) = CreateTable;
        var edited = MigrationSet.FromFiles([(fileName, content + "\n-- edited\n"), InsertRows]);

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(edited).MigrateAsync());

        var original = MigrationSet.FromFiles([CreateTable]).Migrations[0].Checksum;
        Assert.Contains($"Migration 0001_create_table.sql was edited after it was applied", error.Message, StringComparison.Ordinal);
        Assert.Contains($"the ledger has checksum {original}, the file now has {edited.Migrations[0].Checksum}. Nothing was applied.", error.Message, StringComparison.Ordinal);
        Assert.Contains("put the change in a new migration", error.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, await CountAsync($"{_database}.t"));
        Assert.Equal(1UL, await CountAsync($"{_database}.schema_migrations"));
        Assert.False((await Runner(edited).GetStatusAsync()).Migrations[0].ChecksumMatches);
    }

    [Fact]
    public async Task A_failing_statement_names_its_file_and_line_and_keeps_earlier_files_recorded()
    {
        var broken = ("0002_broken.sql", $"INSERT INTO {_database}.t VALUES (1, 'ok');\n\nSELECT no_such_column FROM {_database}.t;");

        var error = await Assert.ThrowsAsync<MigrationException>(() => Runner(MigrationSet.FromFiles([CreateTable, broken])).MigrateAsync());

        Assert.StartsWith("0002_broken.sql:3: ClickHouse error", error.Message, StringComparison.Ordinal);
        Assert.IsType<ClickHouseException>(error.InnerException);
        var status = await Runner(MigrationSet.FromFiles([CreateTable, broken])).GetStatusAsync();
        Assert.Equal([true, false], status.Migrations.Select(m => m.IsApplied));
    }

    [Fact]
    public async Task A_dry_run_writes_nothing_not_even_the_ledger()
    {
        var report = await Runner(MigrationSet.FromFiles([CreateTable, InsertRows]), dryRun: true).MigrateAsync();

        Assert.True(report.DryRun);
        Assert.Equal(
            [new SqlStatement($"CREATE DATABASE IF NOT EXISTS {_database}", 2), new SqlStatement($"CREATE TABLE {_database}.t (x UInt32, note String) ENGINE = MergeTree ORDER BY x", 3)],
            report.Migrations[0].Statements);
        Assert.Equal(2, report.Migrations.Count);
        Assert.Equal(0UL, (await Store.QueryAsync($"EXISTS DATABASE {_database}")).Scalar<byte>());
    }

    [Fact]
    public async Task A_dry_run_plans_only_pending_files_with_statements_rewritten_for_the_cluster()
    {
        await Runner(MigrationSet.FromFiles([CreateTable])).MigrateAsync();
        var alter = ("0002_add_column.sql", $"ALTER TABLE {_database}.t ADD COLUMN y UInt8;");

        var report = await Runner(MigrationSet.FromFiles([CreateTable, alter]), dryRun: true, cluster: "main").MigrateAsync();

        var planned = Assert.Single(report.Migrations);
        Assert.Equal("0002_add_column.sql", planned.Migration.FileName);
        Assert.Equal([new SqlStatement($"ALTER TABLE {_database}.t ON CLUSTER main ADD COLUMN y UInt8", 1)], planned.Statements);
        Assert.Equal(1UL, await CountAsync($"{_database}.schema_migrations"));
        Assert.Equal(0UL, (await Store.QueryAsync($"SELECT count() FROM system.columns WHERE database = '{_database}' AND table = 't' AND name = 'y'")).Scalar<ulong>());
    }

    [Fact]
    public async Task Progress_names_each_file_as_it_starts_and_how_long_it_took_by_the_runner_s_clock()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2025, 11, 20, 9, 0, 0, TimeSpan.Zero));
        var log = new ProgressList();

        await new MigrationRunner(Store, MigrationSet.FromFiles([CreateTable]), new MigrationOptions { LedgerDatabase = _database }, time).MigrateAsync(log);

        Assert.Equal(["Applying 0001_create_table.sql (2 statements)", "Applied 0001_create_table.sql in 0 ms"], log.Select(p => p.ToString()));
    }

    private async Task<ulong> CountAsync(string table) => (await Store.QueryAsync($"SELECT count() FROM {table}")).Scalar<ulong>();

    private sealed class ProgressList : List<MigrationProgress>, IProgress<MigrationProgress>
    {
        public void Report(MigrationProgress value) => Add(value);
    }
}
