using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Zakaz.Operations.Backups;
using Zakaz.Storage;
using Zakaz.Storage.ChDb;

namespace Zakaz.Bench;

/// <summary>
/// The recovery figures of the embedded store of <see cref="DashboardBenchmark"/> (a generated year): a backup, a restore
/// into a new data directory and a verify (restore plus row comparison), the last two in child processes as
/// <c>zakaz backup restore/verify</c> run. Baselines of the same run: a plain <c>tar</c> of the data directory (the I/O
/// floor of copying the store) and a count() of every table (the floor of reading it back).
/// </summary>
/// <param name="runZakaz">Runs zakaz with the given arguments in a child process and waits for it to succeed.</param>
public sealed class BackupBenchmark(long orders, Func<string[], Task> runZakaz, ILogger<DashboardBenchmark> log)
{
    public async Task<BackupBenchmarkResult> RunAsync(CancellationToken cancellationToken = default)
    {
        using var scratch = new ScratchDirectory("zakaz-bench-backup-");
        var data = Path.Combine(scratch.Path, "data");
        var backupDirectory = Path.Combine(scratch.Path, "backups");
        await using var store = ChDbStore.Open(data, backupDirectory: backupDirectory);
        var clock = Stopwatch.StartNew();
        await new DashboardBenchmark(orders, 0, log).BuildStoreAsync(store, cancellationToken);
        var buildSeconds = clock.Elapsed.TotalSeconds;
        var loadBefore = DashboardBenchmark.LoadAverage();

        log.LogInformation("baselines: count() of every table, tar of the data directory ...");
        clock.Restart();
        await ArchiveContents.CountAsync(store, StoreBackups.Database, cancellationToken);
        var countSeconds = clock.Elapsed.TotalSeconds;
        var tar = Path.Combine(scratch.Path, "plain.tar");
        clock.Restart();
        await RunAsync("tar", ["-cf", tar, "-C", data, "."], cancellationToken);
        var tarSeconds = clock.Elapsed.TotalSeconds;

        log.LogInformation("backup ...");
        clock.Restart();
        var made = await new StoreBackups(store, backupDirectory).CreateAsync(cancellationToken: cancellationToken);
        var backupSeconds = clock.Elapsed.TotalSeconds;

        log.LogInformation("restore into a new data directory (child process) ...");
        clock.Restart();
        await runZakaz(["backup", "restore", made.ArchivePath, "--data", Path.Combine(scratch.Path, "restored")]);
        var restoreSeconds = clock.Elapsed.TotalSeconds;

        log.LogInformation("verify (child process) ...");
        clock.Restart();
        await runZakaz(["backup", "verify", made.ArchivePath]);
        var verifySeconds = clock.Elapsed.TotalSeconds;

        return new BackupBenchmarkResult(orders, made.Manifest.Tables.Count, made.Manifest.TotalRows, DirectoryBytes(data), Math.Round(buildSeconds, 1),
            Math.Round(backupSeconds, 2), made.Manifest.ArchiveBytes ?? 0, Math.Round(restoreSeconds, 2), Math.Round(verifySeconds, 2),
            new BackupBaselines(Math.Round(tarSeconds, 2), new FileInfo(tar).Length, Math.Round(countSeconds, 3)),
            Environment.ProcessorCount, loadBefore, DashboardBenchmark.LoadAverage());
    }

    private static long DirectoryBytes(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Where(f => f.LinkTarget is null).Sum(f => f.Length);

    private static async Task RunAsync(string program, string[] arguments, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {program}.");
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        // tar exits 1 when a file changed while it read it: the engine merges in the background, which a baseline tolerates.
        if (process.ExitCode > 1)
        {
            throw new InvalidOperationException($"{program} failed (exit code {process.ExitCode}): {await error}");
        }
    }
}

/// <param name="StoreBytes">The data directory's own size on disk (its files, as du counts them without the links).</param>
public sealed record BackupBenchmarkResult(
    long Orders, int Tables, long Rows, long StoreBytes, double BuildSeconds, double BackupSeconds, long ArchiveBytes, double RestoreSeconds,
    double VerifySeconds, BackupBaselines Baseline, int Cores, double? LoadAverageBefore, double? LoadAverageAfter);

/// <param name="TarSeconds">A plain tar of the data directory, uncompressed.</param>
/// <param name="CountSeconds">count() of every zakaz table.</param>
public sealed record BackupBaselines(double TarSeconds, long TarBytes, double CountSeconds);
