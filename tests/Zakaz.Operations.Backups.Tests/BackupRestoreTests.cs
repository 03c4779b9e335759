using Zakaz.Cli.Tests;
using Zakaz.Operations.Backups;
using Zakaz.Storage;

namespace Zakaz.Operations.Backups.Tests;

[Collection(BackupStore.Name)]
public sealed class BackupRestoreTests
{
    private const string BiTotals = "SELECT sum(revenue), sum(tickets_sold), sum(orders) FROM bi.v_sales_daily";

    [Fact]
    public async Task A_backup_restored_into_a_new_directory_has_every_tables_rows_and_the_same_bi_totals()
    {
        var store = await BackupStore.GetAsync();
        var made = await BackupStore.CopyOfBackupAsync();

        Assert.Contains("fact_qtickets_sales_daily", made.Manifest.Tables.Keys);
        Assert.True(made.Manifest.Tables["fact_qtickets_sales_daily"] > 0, "the generated sales are in the manifest");
        Assert.Equal(new FileInfo(made.ArchivePath).Length, made.Manifest.ArchiveBytes);
        Assert.All(new[] { made.ArchivePath, made.ManifestPath, Path.GetDirectoryName(made.ArchivePath)! }, path => Assert.Null(OwnerOnly.WiderThanOwner(path)));
        var run = await store.QueryAsync(
            "SELECT status, rows_processed, metrics FROM zakaz.meta_job_runs FINAL WHERE job = 'store.backup' ORDER BY started_at DESC, _ver DESC LIMIT 1");
        Assert.Equal("ok", run.Get<string>(0, "status"));
        Assert.Equal((ulong)made.Manifest.TotalRows, run.Get<ulong>(0, "rows_processed"));
        Assert.Contains(made.Manifest.Archive, run.Get<string>(0, "metrics"));

        var target = BackupStore.NewDirectory("restored");
        var restore = await ZakazProcess.RunAsync("backup", "restore", made.ArchivePath, "--data", target);
        Assert.True(restore.ExitCode == 0, restore.Error);

        var tables = string.Join(" UNION ALL ", made.Manifest.Tables.Keys.Select(t => $"SELECT '{t}', count() FROM zakaz.{t}"));
        var counts = await QueryAsync(target, $"SELECT * FROM ({tables}) ORDER BY 1");
        Assert.Equal(made.Manifest.Tables.Select(t => $"{t.Key}\t{t.Value}").Order(StringComparer.Ordinal), counts.Order(StringComparer.Ordinal));
        var live = (await store.QueryAsync(BiTotals)).Rows[0].Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(string.Join('\t', live), Assert.Single(await QueryAsync(target, BiTotals)));
        Assert.True(File.Exists(Path.Combine(target, StoreSecrets.KeyFileName)) == (made.Manifest.SecretsKey is not null));

        var again = await ZakazProcess.RunAsync("backup", "restore", made.ArchivePath, "--data", target);
        Assert.NotEqual(0, again.ExitCode);
        Assert.Contains("is not empty", Assert.Single(again.ErrorLines));
    }

    [Fact]
    public async Task Verify_restores_into_a_throw_away_store_and_marks_the_backup_verified()
    {
        var made = await BackupStore.CopyOfBackupAsync();

        var verify = await ZakazProcess.RunAsync("backup", "verify", made.ArchivePath);

        Assert.True(verify.ExitCode == 0, verify.Error);
        Assert.Contains("as in the manifest", verify.Output);
        Assert.NotNull(BackupManifest.Read(made.ManifestPath).VerifiedAt);
    }

    [Fact]
    public async Task A_corrupted_archive_fails_verify_with_one_line_naming_the_checksum_mismatch()
    {
        var made = await BackupStore.CopyOfBackupAsync();
        await using (var archive = File.OpenWrite(made.ArchivePath))
        {
            archive.Position = archive.Length / 2;
            archive.Write([0xde, 0xad, 0xbe, 0xef]);
        }

        var verify = await ZakazProcess.RunAsync("backup", "verify", made.ArchivePath);

        Assert.Equal(1, verify.ExitCode);
        var line = Assert.Single(verify.ErrorLines);
        Assert.Contains("checksum mismatch", line);
        Assert.Contains(made.ArchivePath, line);
    }

    [Fact]
    public async Task An_unreadable_archive_with_a_matching_checksum_fails_verify_with_one_line()
    {
        var made = await BackupStore.CopyOfBackupAsync();
        // Cut in half and re-summed, as a copy that stopped midway and was then checksummed: only reading it can tell.
        await using (var archive = File.OpenWrite(made.ArchivePath))
        {
            archive.SetLength(archive.Length / 2);
        }
        await using (var archive = File.OpenRead(made.ArchivePath))
        {
            var sha = Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(archive));
            (made.Manifest with { Sha256 = sha, ArchiveBytes = archive.Length }).Write(made.ManifestPath);
        }

        var verify = await ZakazProcess.RunAsync("backup", "verify", made.ArchivePath);

        Assert.Equal(1, verify.ExitCode);
        Assert.StartsWith($"zakaz: error: Backup {made.ArchivePath} failed verification: ", Assert.Single(verify.ErrorLines));
    }

    private static async Task<string[]> QueryAsync(string dataDirectory, string sql)
    {
        var run = await ZakazProcess.RunAsync(["query", sql, "--format", "TSV"], new Dictionary<string, string?> { ["ZAKAZ_DATA_DIR"] = dataDirectory });
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
