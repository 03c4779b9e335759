using Microsoft.Extensions.Time.Testing;
using Zakaz.Operations.Backups;

namespace Zakaz.Operations.Backups.Tests;

[Collection(BackupStore.Name)]
public sealed class RetentionTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 0, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Prune_deletes_only_the_backups_older_than_the_kept_days_with_their_manifest_and_key()
    {
        var directory = BackupStore.NewDirectory("retention");
        Directory.CreateDirectory(directory);
        var old = Fake(directory, Now.AddDays(-20));
        var justOver = Fake(directory, Now.AddDays(-14).AddMinutes(-1));
        var justUnder = Fake(directory, Now.AddDays(-14).AddMinutes(1));
        var recent = Fake(directory, Now.AddDays(-1));
        var unrelated = Path.Combine(directory, "notes.txt");
        await File.WriteAllTextAsync(unrelated, "kept");

        var deleted = new StoreBackups(await BackupStore.GetAsync(), directory, new FakeTimeProvider(Now)).Prune(keepDays: 14);

        Assert.Equal([justOver[0], old[0]], deleted.Select(a => Path.Combine(directory, a)));
        Assert.All(old.Concat(justOver), path => Assert.False(File.Exists(path), path));
        Assert.All(justUnder.Concat(recent).Append(unrelated), path => Assert.True(File.Exists(path), path));
    }

    [Fact]
    public async Task Prune_keeps_the_newest_backup_however_old()
    {
        var directory = BackupStore.NewDirectory("retention-last");
        Directory.CreateDirectory(directory);
        var older = Fake(directory, Now.AddDays(-40));
        var newest = Fake(directory, Now.AddDays(-30));

        new StoreBackups(await BackupStore.GetAsync(), directory, new FakeTimeProvider(Now)).Prune(keepDays: 14);

        Assert.All(newest, path => Assert.True(File.Exists(path), path));
        Assert.All(older, path => Assert.False(File.Exists(path), path));
    }

    /// <summary>An archive, its manifest and its key as a backup made at <paramref name="createdAt"/> leaves them.</summary>
    private static string[] Fake(string directory, DateTimeOffset createdAt)
    {
        var archive = BackupNames.Archive(createdAt);
        var key = BackupNames.SecretsKey(archive);
        File.WriteAllText(Path.Combine(directory, archive), "archive");
        File.WriteAllText(Path.Combine(directory, key), "key");
        var manifest = Path.Combine(directory, BackupManifest.FileNameFor(archive));
        new BackupManifest
        {
            Archive = archive,
            CreatedAt = createdAt,
            StoreKind = "embedded",
            Store = "/data",
            AppVersion = "1.0.0",
            Migrations = [1],
            Tables = new Dictionary<string, long> { ["t"] = 1 },
            ArchiveBytes = 7,
            Sha256 = "00",
            SecretsKey = key,
        }.Write(manifest);
        return [Path.Combine(directory, archive), manifest, Path.Combine(directory, key)];
    }
}
