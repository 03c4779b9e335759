using System.Diagnostics;

namespace Zakaz.Storage.Tests;

/// <summary>
/// chDB's own backup (chdb_backup_database_n / chdb_restore_database_n): each side runs in a child process
/// (<see cref="BackupChild"/>) because one process binds one data directory, and this one has the shared store.
/// </summary>
public sealed class EmbeddedBackupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "zakaz-backup-test-" + Guid.NewGuid().ToString("N")[..10]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task A_database_backed_up_while_written_to_restores_into_another_data_directory_with_the_same_rows()
    {
        var backups = Path.Combine(_root, "backups");
        var archive = Path.Combine(backups, "zakaz-1.tar.zst");

        var source = Counts(await RunChildAsync("backup", Path.Combine(_root, "source"), backups, "zakaz", archive));
        var restored = Counts(await RunChildAsync("restore", Path.Combine(_root, "restored"), backups, "zakaz", archive));

        Assert.True(File.Exists(archive));
        Assert.Equal(10000, restored["plain"]);
        Assert.Equal(source["latest"], restored["latest"]);
        Assert.Equal(source["latest_final"], restored["latest_final"]);
        Assert.True(source["latest"] > source["latest_final"], "the ReplacingMergeTree's parts were merged before the backup");
        Assert.InRange(restored["live"], source["live_before"], source["live_after"]);
        Assert.Equal(0, source["insert_failures"]);
    }

    private static Dictionary<string, long> Counts(string line) =>
        line.Trim().Split(' ').Select(p => p.Split('=')).ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));

    private static async Task<string> RunChildAsync(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(BackupChild).Assembly.Location);
        start.ArgumentList.Add("backup-child");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"child {string.Join(' ', args)} exited {process.ExitCode}: {await error}");
        Console.WriteLine($"{args[0]}: {await output} / {await error}");
        return await output;
    }
}
