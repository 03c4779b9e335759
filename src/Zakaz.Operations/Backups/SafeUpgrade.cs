using Zakaz.Storage;
using Zakaz.Storage.Migrations;

namespace Zakaz.Operations.Backups;

/// <summary>
/// What <c>zakaz serve</c> does before it applies pending migrations to a store that holds data: on the embedded store
/// it takes a backup first; on a server (whose backups are the server's business) it refuses unless told to migrate.
/// A store no migration has run on yet has nothing to lose, so it is migrated as it is.
/// </summary>
public static class SafeUpgrade
{
    /// <summary>Returns the line to print when a backup was taken, null when there was nothing to do; throws one line to refuse.</summary>
    /// <param name="migrateServer">zakaz serve --migrate: the operator has backed the server up and wants the migrations applied.</param>
    public static async Task<string?> BeforeMigratingAsync(IClickHouseStore store, MigrationRunner migrations, StoreBackups backups, bool migrateServer,
        CancellationToken cancellationToken = default)
    {
        var status = await migrations.GetStatusAsync(cancellationToken);
        var pending = status.Pending.Count();
        var hasData = status.Migrations.Any(m => m.IsApplied) || status.UnknownApplied.Count > 0;
        if (pending == 0 || !hasData)
        {
            return null;
        }
        if (store.Kind == StoreKind.Server)
        {
            return migrateServer
                ? null
                : throw new BackupException(
                    $"The ClickHouse server has {pending} pending migration(s): back it up, then run 'zakaz db migrate' or start 'zakaz serve --migrate'.");
        }
        var backup = await backups.CreateAsync(cancellationToken: cancellationToken);
        return $"Backed up to {backup.ArchivePath} before applying {pending} migration(s)";
    }
}
