using Zakaz.Operations.Backups;
using Zakaz.Storage;
using Zakaz.Storage.Http;
using Zakaz.Storage.Migrations;
using Zakaz.Testing;

namespace Zakaz.Operations.Backups.Tests;

/// <summary>
/// Pending migrations are made real with a set of two files whose ledger lives in a database of the test's own:
/// the first is applied, the second is the upgrade.
/// </summary>
[Collection(BackupStore.Name)]
public sealed class SafeUpgradeTests
{
    [Fact]
    public async Task The_embedded_store_is_backed_up_before_pending_migrations_are_applied()
    {
        var store = await BackupStore.GetAsync();
        var database = SharedEmbeddedStore.NewDatabaseName("upgrade");
        var directory = BackupStore.NewDirectory("upgrade");
        await Runner(store, database, 1).MigrateAsync();

        var upgrade = Runner(store, database, 2);
        var line = await SafeUpgrade.BeforeMigratingAsync(store, upgrade, new StoreBackups(store, directory), migrateServer: false);

        var (manifestPath, manifest) = Assert.Single(StoreBackups.List(directory));
        Assert.Equal($"Backed up to {Path.Combine(directory, manifest.Archive)} before applying 1 migration(s)", line);
        Assert.True(manifest.Tables.Count > 0, manifestPath);
        Assert.Single((await upgrade.GetStatusAsync()).Pending);
    }

    [Fact]
    public async Task A_store_no_migration_has_run_on_is_not_backed_up()
    {
        var store = await BackupStore.GetAsync();
        var directory = BackupStore.NewDirectory("fresh");

        var line = await SafeUpgrade.BeforeMigratingAsync(store, Runner(store, SharedEmbeddedStore.NewDatabaseName("fresh"), 2), new StoreBackups(store, directory),
            migrateServer: false);

        Assert.Null(line);
        Assert.Empty(StoreBackups.List(directory));
    }

    [Fact]
    public async Task A_server_with_pending_migrations_is_refused_in_one_line_unless_told_to_migrate()
    {
        await using var server = new HttpClickHouseStore(await SharedServer.OptionsAsync());
        var database = SharedEmbeddedStore.NewDatabaseName("upgrade");
        await Runner(server, database, 1).MigrateAsync();
        var upgrade = Runner(server, database, 2);
        var backups = new StoreBackups(server, BackupStore.NewDirectory("server"));

        var refused = await Assert.ThrowsAsync<BackupException>(() => SafeUpgrade.BeforeMigratingAsync(server, upgrade, backups, migrateServer: false));
        Assert.Equal("The ClickHouse server has 1 pending migration(s): back it up, then run 'zakaz db migrate' or start 'zakaz serve --migrate'.", refused.Message);

        Assert.Null(await SafeUpgrade.BeforeMigratingAsync(server, upgrade, backups, migrateServer: true));
    }

    [Fact]
    public async Task A_server_without_BACKUP_says_so_in_one_line()
    {
        await using var server = new HttpClickHouseStore(await SharedServer.OptionsAsync());

        var failed = await Assert.ThrowsAsync<BackupException>(() => new StoreBackups(server, BackupStore.NewDirectory("server")).BackUpAsync(BackupStore.NewDirectory("server"), default));

        Assert.Matches(@"^The ClickHouse server at .+ \(version 18\.16[.0-9]*\) has no BACKUP statement \(ClickHouse 22\.8 or newer has\): upgrade it, or back it up with its own tools\.$", failed.Message);
    }

    private static MigrationRunner Runner(IClickHouseStore store, string database, int files) =>
        new(store, MigrationSet.FromFiles(new[]
        {
            ("0001_first.sql", $"CREATE TABLE IF NOT EXISTS {database}.first (id UInt64) ENGINE = MergeTree ORDER BY id;"),
            ("0002_second.sql", $"CREATE TABLE IF NOT EXISTS {database}.second (id UInt64) ENGINE = MergeTree ORDER BY id;"),
        }.Take(files)), new MigrationOptions { LedgerDatabase = database });
}
