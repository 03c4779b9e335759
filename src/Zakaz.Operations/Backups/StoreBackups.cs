using System.Security.Cryptography;
using Zakaz.Pipeline.Runs;
using Zakaz.Storage;
using Zakaz.Storage.ChDb;

namespace Zakaz.Operations.Backups;

/// <summary>A backup made: where its archive and manifest went, and what the manifest says.</summary>
public sealed record BackupResult(string ArchivePath, string ManifestPath, BackupManifest Manifest);

/// <summary>
/// Backups of the zakaz database (bi is views, recreated by the migrations) into <see cref="Directory"/>: an archive,
/// its manifest and a copy of secrets.key, owner-only. Each backup is a run of <see cref="Job"/> in zakaz.meta_job_runs,
/// which the alerts watch.
/// </summary>
public sealed class StoreBackups(IClickHouseStore store, string directory, TimeProvider? time = null)
{
    /// <summary>The job name of every backup run; the "no successful backup in 26 hours" alert looks for it.</summary>
    public const string Job = "store.backup";

    public const string Database = "zakaz";

    // SYNTAX_ERROR: what a server older than 22.8 answers to BACKUP.
    private const int SyntaxError = 62;

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>Where backups go by default: ZAKAZ_BACKUP_DIR, else <c>backups/</c> in the embedded data directory.</summary>
    public static string DefaultDirectory(BackupOptions options, StorageOptions storage) =>
        Path.GetFullPath(options.Directory ?? Path.Combine(storage.DataDirectory, "backups"));

    /// <summary>
    /// A backup into <paramref name="to"/>, or into <see cref="Directory"/> followed by <see cref="Prune"/>: retention
    /// only ever runs after a backup succeeded, so a failing backup never deletes the last good ones.
    /// </summary>
    public async Task<BackupResult> CreateAndPruneAsync(int keepDays, string? to = null, CancellationToken cancellationToken = default)
    {
        var made = await CreateAsync(to, cancellationToken);
        if (to is null)
        {
            Prune(keepDays);
        }
        return made;
    }

    /// <summary>Backs the store up into <paramref name="to"/> (default <see cref="Directory"/>), recorded as a run of <see cref="Job"/>.</summary>
    public Task<BackupResult> CreateAsync(string? to = null, CancellationToken cancellationToken = default) =>
        new JobRunLog(store, _time).RecordAsync(Job, ct => BackUpAsync(Path.GetFullPath(to ?? Directory), ct),
            result => new RunSummary(result.Manifest.TotalRows, new { archive = result.ArchivePath, bytes = result.Manifest.ArchiveBytes, sha256 = result.Manifest.Sha256 }),
            cancellationToken: cancellationToken);

    internal async Task<BackupResult> BackUpAsync(string to, CancellationToken cancellationToken)
    {
        CreateOwnerOnly(to);
        var createdAt = _time.GetUtcNow();
        var archive = BackupNames.Archive(createdAt);
        var archivePath = Path.Combine(to, archive);
        BackupManifest manifest;
        if (store is ChDbStore chdb)
        {
            var backupDirectory = chdb.BackupDirectory
                ?? throw new BackupException("This embedded store was opened without a backup directory; open it through zakaz backup or zakaz serve.");
            CreateOwnerOnly(backupDirectory);
            // The engine writes only under the backups.allowed_path it started with; an archive for elsewhere moves there after.
            var written = Path.Combine(backupDirectory, archive);
            // Only migrations change the ledger, and they never run beside a backup, so the live one is the archive's.
            var migrations = await ArchiveContents.MigrationsAsync(store, Database, cancellationToken);
            await chdb.BackupDatabaseAsync(Database, written, cancellationToken: cancellationToken);
            // Counted from the archive, not the live tables: the syncs of zakaz serve may write while the backup runs.
            var tables = await ArchiveContents.CountArchiveAsync(chdb, written, cancellationToken);
            if (written != archivePath)
            {
                File.Move(written, archivePath);
            }
            string? key = null;
            var keyPath = Path.Combine(chdb.Location, StoreSecrets.KeyFileName);
            if (File.Exists(keyPath))
            {
                key = BackupNames.SecretsKey(archive);
                OwnerOnly.Replace(Path.Combine(to, key), File.ReadAllBytes(keyPath));
            }
            manifest = new BackupManifest
            {
                Archive = archive,
                CreatedAt = createdAt,
                StoreKind = "embedded",
                Store = store.Location,
                AppVersion = BackupManifest.CurrentAppVersion,
                Migrations = migrations,
                Tables = tables,
                ArchiveBytes = new FileInfo(archivePath).Length,
                Sha256 = await Sha256Async(archivePath, cancellationToken),
                SecretsKey = key,
            };
        }
        else
        {
            manifest = await BackUpServerAsync(archive, createdAt, cancellationToken);
        }
        var manifestPath = Path.Combine(to, BackupManifest.FileNameFor(archive));
        manifest.Write(manifestPath);
        return new BackupResult(archivePath, manifestPath, manifest);
    }

    // A server writes the archive to its own disk, under its backups.allowed_path (see the README); the manifest stays here.
    private async Task<BackupManifest> BackUpServerAsync(string archive, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        try
        {
            await store.ExecuteAsync($"BACKUP DATABASE {Database} TO File({SqlText.QuoteString(archive)})", cancellationToken: cancellationToken);
        }
        catch (ClickHouseException e) when (e.Code == SyntaxError)
        {
            var version = (await store.QueryAsync("SELECT version()", cancellationToken: cancellationToken)).Scalar<string>();
            throw new BackupException(
                $"The ClickHouse server at {store.Location} (version {version}) has no BACKUP statement (ClickHouse 22.8 or newer has): upgrade it, or back it up with its own tools.", e);
        }
        // Read after the backup, for the list; the syncs may have added rows since, and a server backup is restored there, not verified here.
        var counts = await ArchiveContents.CountAsync(store, Database, cancellationToken);
        var migrations = await ArchiveContents.MigrationsAsync(store, Database, cancellationToken);
        return new BackupManifest
        {
            Archive = archive,
            CreatedAt = createdAt,
            StoreKind = "server",
            Store = store.Location,
            AppVersion = BackupManifest.CurrentAppVersion,
            Migrations = migrations,
            Tables = counts,
        };
    }

    /// <summary>Every backup of <paramref name="directory"/> with its manifest, newest first.</summary>
    public static IReadOnlyList<(string ManifestPath, BackupManifest Manifest)> List(string directory) =>
        !System.IO.Directory.Exists(directory)
            ? []
            : System.IO.Directory.EnumerateFiles(directory, "zakaz-*.json")
                .Select(path => (path, BackupManifest.Read(path)))
                .OrderByDescending(b => b.Item2.CreatedAt)
                .ToArray();

    /// <summary>
    /// Deletes the backups of <see cref="Directory"/> made more than <paramref name="keepDays"/> days ago (archive, manifest,
    /// key), never the newest one; returns the archives deleted. Called after a successful backup only.
    /// </summary>
    public IReadOnlyList<string> Prune(int keepDays)
    {
        var cutoff = _time.GetUtcNow().AddDays(-keepDays);
        var deleted = new List<string>();
        foreach (var (manifestPath, manifest) in List(Directory).Skip(1).Where(b => b.Manifest.CreatedAt < cutoff))
        {
            foreach (var file in new[] { manifest.Archive, manifest.SecretsKey }.OfType<string>())
            {
                File.Delete(Path.Combine(Directory, file));
            }
            File.Delete(manifestPath);
            deleted.Add(manifest.Archive);
        }
        return deleted;
    }

    /// <summary>Throws one line unless the archive beside <paramref name="manifest"/> has the manifest's size and SHA-256.</summary>
    public static async Task CheckArchiveAsync(string archivePath, BackupManifest manifest, CancellationToken cancellationToken = default)
    {
        if (manifest.Sha256 is null)
        {
            throw new BackupException($"The backup {manifest.Archive} was made on a server and is kept there: restore it on the server with RESTORE DATABASE zakaz FROM File('{manifest.Archive}').");
        }
        if (!File.Exists(archivePath))
        {
            throw new BackupException($"The backup archive {archivePath} is missing.");
        }
        var sha = await Sha256Async(archivePath, cancellationToken);
        if (!string.Equals(sha, manifest.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new BackupException(
                $"Backup {archivePath} is corrupted: checksum mismatch (SHA-256 {sha}, the manifest says {manifest.Sha256}); use another backup.");
        }
    }

    private static async Task<string> Sha256Async(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(file, cancellationToken));
    }

    // The process umask (OwnerOnly.RestrictNewFiles) makes every file in it 0600, the engine's archive too.
    internal static void CreateOwnerOnly(string path)
    {
        OwnerOnly.RestrictNewFiles();
        System.IO.Directory.CreateDirectory(path);
        OwnerOnly.Restrict(path);
    }
}
