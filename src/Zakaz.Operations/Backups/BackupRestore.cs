using Zakaz.Storage;
using Zakaz.Storage.ChDb;
using Zakaz.Storage.Migrations;

namespace Zakaz.Operations.Backups;

/// <summary>What a restore did: the new data directory, the migrations applied after the data, and the rows found.</summary>
public sealed record RestoreResult(string DataDirectory, BackupManifest Manifest, int MigrationsAfter, IReadOnlyDictionary<string, long> Tables);

/// <summary>
/// Restores a backup into a new embedded data directory: the migrations the backup's schema had (which also recreate
/// the bi views), then its data, then the newer migrations; finally every table's rows are compared with the manifest.
/// chDB binds one data directory per process, so this runs in a process that has opened no other store.
/// </summary>
public static class BackupRestore
{
    /// <summary>The manifest beside <paramref name="archivePath"/>; it is what makes an archive restorable.</summary>
    public static BackupManifest ManifestOf(string archivePath)
    {
        var manifestPath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(archivePath))!, BackupManifest.FileNameFor(Path.GetFileName(archivePath)));
        return File.Exists(manifestPath)
            ? BackupManifest.Read(manifestPath)
            : throw new BackupException($"No manifest {manifestPath} beside the backup archive: a backup is the archive and its manifest, keep them together.");
    }

    public static async Task<RestoreResult> RestoreAsync(string archivePath, string dataDirectory, string? chdbLibrary = null, CancellationToken cancellationToken = default)
    {
        archivePath = Path.GetFullPath(archivePath);
        dataDirectory = Path.GetFullPath(dataDirectory);
        var manifest = ManifestOf(archivePath);
        await StoreBackups.CheckArchiveAsync(archivePath, manifest, cancellationToken);
        if (Directory.Exists(dataDirectory) && Directory.EnumerateFileSystemEntries(dataDirectory).Any())
        {
            throw new BackupException($"{dataDirectory} is not empty: restore into a new directory (--data), then point ZAKAZ_DATA_DIR at it.");
        }
        var shipped = MigrationSet.Embedded();
        var known = shipped.Migrations.Select(m => m.Version).ToHashSet();
        if (manifest.Migrations.FirstOrDefault(v => !known.Contains(v)) is var newer and > 0)
        {
            throw new BackupException($"The backup was made by a newer Zakaz (migration {newer:0000} is unknown here, backup app version {manifest.AppVersion}): restore it with that version or newer.");
        }

        await using var store = ChDbStore.Open(dataDirectory, chdbLibrary, backupDirectory: Path.GetDirectoryName(archivePath));
        var backedUp = manifest.Migrations.ToHashSet();
        await new MigrationRunner(store, shipped.Where(m => backedUp.Contains(m.Version))).MigrateAsync(cancellationToken: cancellationToken);
        // The migrations seeded reference rows and the ledger; the archive holds them as they were, and the engine
        // restores only into empty tables.
        foreach (var table in (await ArchiveContents.CountAsync(store, StoreBackups.Database, cancellationToken)).Keys)
        {
            await store.ExecuteAsync($"TRUNCATE TABLE {StoreBackups.Database}.{StoreIdentifiers.Quote(table)}", cancellationToken: cancellationToken);
        }
        // Merges would collapse the restored parts of the Replacing tables before they are counted; the count must see the
        // parts as archived. They start again below, and with the next engine start in any case.
        await store.ExecuteAsync("SYSTEM STOP MERGES", cancellationToken: cancellationToken);
        try
        {
            await store.RestoreDatabaseAsync(StoreBackups.Database, archivePath, cancellationToken);
        }
        catch (ClickHouseException e)
        {
            throw new BackupException($"Backup {archivePath} could not be restored: {FirstLine(e.Message)}", e);
        }
        var after = await new MigrationRunner(store, shipped).MigrateAsync(cancellationToken: cancellationToken);
        var tables = await ArchiveContents.CountAsync(store, StoreBackups.Database, cancellationToken);
        // Newer migrations may add rows (the ledger's at least); then the counts are reported, not compared.
        var differences = after.Migrations.Count > 0 ? [] : manifest.Tables
            .Where(t => tables.GetValueOrDefault(t.Key, -1) != t.Value)
            .Select(t => $"{t.Key} {(tables.TryGetValue(t.Key, out var rows) ? rows : 0)} rows, the manifest says {t.Value}")
            .ToArray();
        if (differences.Length > 0)
        {
            throw new BackupException($"Backup {archivePath} restored with different rows: {string.Join("; ", differences)}.");
        }
        await store.ExecuteAsync("SYSTEM START MERGES", cancellationToken: cancellationToken);
        if (manifest.SecretsKey is { } key && File.Exists(Path.Combine(Path.GetDirectoryName(archivePath)!, key)))
        {
            OwnerOnly.Replace(Path.Combine(dataDirectory, StoreSecrets.KeyFileName), File.ReadAllBytes(Path.Combine(Path.GetDirectoryName(archivePath)!, key)));
        }
        return new RestoreResult(dataDirectory, manifest, after.Migrations.Count, tables);
    }

    internal static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();
}
