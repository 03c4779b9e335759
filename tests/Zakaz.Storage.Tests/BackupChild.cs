using Zakaz.Storage.ChDb;

namespace Zakaz.Storage.Tests;

/// <summary>
/// The test assembly's own entry point (GenerateProgramFile=false): `dotnet Zakaz.Storage.Tests.dll backup-child ...`
/// runs one side of <see cref="EmbeddedBackupTests"/> in a process of its own, since chDB binds one data directory per process.
/// Prints one line of counts, "name=value" separated by spaces.
/// </summary>
public static class BackupChild
{
    public static async Task<int> Main(string[] args)
    {
        if (args is not ["backup-child", var mode, var data, var backups, var database, var archive])
        {
            return 0;
        }
        await using var store = ChDbStore.Open(data, backupDirectory: backups);
        return mode switch
        {
            "backup" => await BackupAsync(store, database, archive),
            "restore" => await RestoreAsync(store, database, archive),
            _ => 2,
        };
    }

    private static async Task<int> BackupAsync(ChDbStore store, string database, string archive)
    {
        await store.ExecuteAsync($"CREATE DATABASE {database}");
        await store.ExecuteAsync($"CREATE TABLE {database}.plain (id UInt64, v String) ENGINE = MergeTree ORDER BY id");
        await store.ExecuteAsync($"CREATE TABLE {database}.latest (id UInt64, v String, ver UInt64) ENGINE = ReplacingMergeTree(ver) ORDER BY id");
        await store.ExecuteAsync($"CREATE TABLE {database}.live (id UInt64) ENGINE = MergeTree ORDER BY id");
        await store.ExecuteAsync($"INSERT INTO {database}.plain SELECT number, toString(number) FROM numbers(10000)");
        // Three parts with overlapping keys, left unmerged: count() and count() FINAL differ, and a backup keeps the parts as they are.
        for (var i = 0; i < 3; i++)
        {
            await store.ExecuteAsync($"INSERT INTO {database}.latest SELECT number, 'v{i}', {i} FROM numbers({i * 500}, 1000)");
        }

        // A writer that keeps inserting through other connections of the same store while the backup runs.
        using var stop = new CancellationTokenSource();
        long inserts = 0, failures = 0;
        var writer = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await store.ExecuteAsync($"INSERT INTO {database}.live SELECT number FROM numbers(10000)");
                    Interlocked.Increment(ref inserts);
                }
                catch (ClickHouseException)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        });
        while (Interlocked.Read(ref inserts) < 5)
        {
            await Task.Delay(10);
        }
        var liveBefore = await CountAsync(store, $"{database}.live");
        var insertsBefore = Interlocked.Read(ref inserts);
        var started = DateTime.UtcNow;
        var answer = await store.BackupDatabaseAsync(database, archive);
        var took = DateTime.UtcNow - started;
        var insertsDuring = Interlocked.Read(ref inserts) - insertsBefore;
        var liveAfter = await CountAsync(store, $"{database}.live");
        await stop.CancelAsync();
        await writer;
        Console.Error.WriteLine($"backup answer: {answer}; took {took.TotalMilliseconds:F0} ms");
        Console.WriteLine($"plain={await CountAsync(store, $"{database}.plain")} latest={await CountAsync(store, $"{database}.latest")} " +
            $"latest_final={await CountAsync(store, $"{database}.latest FINAL")} live_before={liveBefore} live_after={liveAfter} " +
            $"inserts_during={insertsDuring} insert_failures={Interlocked.Read(ref failures)}");
        return 0;
    }

    private static async Task<int> RestoreAsync(ChDbStore store, string database, string archive)
    {
        Console.Error.WriteLine($"restore answer: {await store.RestoreDatabaseAsync(database, archive)}");
        Console.WriteLine($"plain={await CountAsync(store, $"{database}.plain")} latest={await CountAsync(store, $"{database}.latest")} " +
            $"latest_final={await CountAsync(store, $"{database}.latest FINAL")} live={await CountAsync(store, $"{database}.live")}");
        return 0;
    }

    private static async Task<long> CountAsync(IClickHouseStore store, string table) =>
        (await store.QueryAsync($"SELECT count() FROM {table}")).Scalar<long>();
}
