using Zakaz.Operations.Backups;
using Zakaz.Pipeline.Sync;
using Zakaz.Web;
using Zakaz.Web.Scheduling;

namespace Zakaz.Operations.Backups.Tests;

[Collection(BackupStore.Name)]
public sealed class NightlyBackupTests
{
    [Fact]
    public async Task Serve_schedules_store_backup_at_the_backup_time_in_Moscow_and_its_run_backs_up_into_the_store_backup_directory()
    {
        var store = await BackupStore.GetAsync();
        var options = new ZakazOptions { Backup = { Time = new TimeOnly(4, 15), KeepDays = 14 } };
        var before = StoreBackups.List(BackupStore.BackupDirectory).Select(b => b.Manifest.Archive).ToHashSet();

        var job = Assert.Single(ServeJobs.For(store, options, null, null, new Progress<SyncProgress>()).Jobs, j => j.Name == StoreBackups.Job);
        await job.Run(CancellationToken.None);

        Assert.Equal("daily at 04:15 Moscow", job.Schedule?.ToString());
        var made = StoreBackups.List(BackupStore.BackupDirectory).Where(b => !before.Contains(b.Manifest.Archive));
        Assert.True(File.Exists(Path.Combine(BackupStore.BackupDirectory, Assert.Single(made).Manifest.Archive)));
    }
}
