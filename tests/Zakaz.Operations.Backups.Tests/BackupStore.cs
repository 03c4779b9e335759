using Microsoft.Extensions.Logging.Abstractions;
using Zakaz.Bench;
using Zakaz.Operations.Backups;
using Zakaz.Storage.ChDb;

namespace Zakaz.Operations.Backups.Tests;

/// <summary>
/// The one embedded store of this test process (chDB binds one data directory per process), opened with a backup
/// directory, which only the connection that starts the engine can set, and loaded with a generated quarter of
/// the bench dashboard's promoter. Tests that use it belong to the <see cref="Name"/> collection.
/// </summary>
public static class BackupStore
{
    public const string Name = "backup store";

    private static readonly string Root = Path.Combine(Path.GetTempPath(), "zakaz-backup-tests-" + Environment.ProcessId);

    private static readonly Lazy<Task<ChDbStore>> Loaded = new(async () =>
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(Root, recursive: true);
            }
            catch (IOException)
            {
                // The engine may still hold files open while the process exits; the temp cleaner gets them.
            }
        };
        var store = ChDbStore.Open(DataDirectory, backupDirectory: BackupDirectory);
        await new DashboardBenchmark(3_000, 0, NullLogger<DashboardBenchmark>.Instance).BuildStoreAsync(store);
        return store;
    });

    private static readonly Lazy<Task<BackupResult>> Backup = new(async () =>
        await new StoreBackups(await GetAsync(), BackupDirectory).CreateAsync(NewDirectory("shared")));

    public static string DataDirectory => Path.Combine(Root, "data");

    public static string BackupDirectory => Path.Combine(Root, "backups");

    public static Task<ChDbStore> GetAsync() => Loaded.Value;

    /// <summary>The store's backup taken once for the process, as a copy of its own (archive, manifest, key) in a new directory.</summary>
    public static async Task<BackupResult> CopyOfBackupAsync()
    {
        var made = await Backup.Value;
        var directory = NewDirectory("copy");
        Directory.CreateDirectory(directory);
        foreach (var file in new[] { made.Manifest.Archive, BackupManifest.FileNameFor(made.Manifest.Archive), made.Manifest.SecretsKey }.OfType<string>())
        {
            File.Copy(Path.Combine(Path.GetDirectoryName(made.ArchivePath)!, file), Path.Combine(directory, file));
        }
        return new BackupResult(Path.Combine(directory, made.Manifest.Archive), Path.Combine(directory, BackupManifest.FileNameFor(made.Manifest.Archive)), made.Manifest);
    }

    /// <summary>A new directory under this process's scratch root.</summary>
    public static string NewDirectory(string name) => Path.Combine(Root, $"{name}-{Guid.NewGuid():N}"[..(name.Length + 9)]);
}

[CollectionDefinition(BackupStore.Name)]
public sealed class BackupStoreCollection;
