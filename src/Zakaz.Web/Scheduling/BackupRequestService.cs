using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Zakaz.Configuration;
using Zakaz.Operations.Backups;
using Zakaz.Storage;
using Zakaz.Storage.ChDb;

namespace Zakaz.Web.Scheduling;

/// <summary>
/// Answers <c>zakaz backup create</c> while this process holds the embedded store (see <see cref="BackupRequests"/>);
/// a store opened without a backup directory (the demo, a server) takes no requests.
/// </summary>
internal sealed class BackupRequestService(IClickHouseStore store, IOptions<ZakazOptions> options, TimeProvider? time = null) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (store is not ChDbStore { BackupDirectory: { } directory } chdb)
        {
            return Task.CompletedTask;
        }
        var backups = new StoreBackups(store, directory, time);
        return BackupRequests.ServeAsync(chdb.Location, (to, ct) => backups.CreateAndPruneAsync(options.Value.Backup.KeepDays, to, ct), stoppingToken);
    }
}
