using System.Net;
using System.Net.Sockets;
using Zakaz.Cli.Tests;
using Zakaz.Operations.Backups;

namespace Zakaz.Operations.Backups.Tests;

/// <summary>zakaz backup create while zakaz serve holds the data directory: serve takes it, and keeps serving.</summary>
public sealed class ServeTimeBackupTests
{
    [Fact]
    public async Task Backup_create_is_answered_by_the_running_serve()
    {
        var data = Path.Combine(Path.GetTempPath(), "zakaz-serve-backup-" + Guid.NewGuid().ToString("N")[..10]);
        Directory.CreateDirectory(data);
        var environment = new Dictionary<string, string?> { ["ZAKAZ_DATA_DIR"] = data };
        try
        {
            // serve writes its pid file once it holds the lock; from then on the CLI asks it, and serve answers the
            // request as soon as its host runs, however early the request came.
            var claimed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var watcher = new FileSystemWatcher(data, "zakaz-serve.pid") { EnableRaisingEvents = true };
            watcher.Created += (_, _) => claimed.TrySetResult();
            using var serve = ZakazProcess.Start(["serve", "--open", "--port", FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture)], environment);
            await claimed.Task.WaitAsync(TimeSpan.FromMinutes(1));

            var create = await ZakazProcess.RunAsync(["backup", "create"], environment);

            Assert.True(create.ExitCode == 0, create.Error);
            Assert.Contains("zakaz serve holds the data directory: asking it for the backup", create.Error);
            var (_, manifest) = Assert.Single(StoreBackups.List(Path.Combine(data, "backups")));
            Assert.StartsWith($"Backed up {manifest.Tables.Count} tables, {manifest.TotalRows:N0} rows to {Path.Combine(data, "backups", manifest.Archive)} ", create.Output);
            Assert.Contains("schema_migrations", manifest.Tables.Keys);
            Assert.False(serve.HasExited, "serve kept running");
            serve.Kill();
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
