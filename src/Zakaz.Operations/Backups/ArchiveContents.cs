using Zakaz.Storage;
using Zakaz.Storage.ChDb;

namespace Zakaz.Operations.Backups;

/// <summary>The ledger and the rows of every table of a zakaz database: live, restored, or inside an archive.</summary>
public static class ArchiveContents
{
    /// <summary>Reads an archive as a read-only database (the Backup engine), so the manifest says what the archive holds.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountArchiveAsync(
        ChDbStore store, string archivePath, CancellationToken cancellationToken)
    {
        var database = $"zakaz_backup_{Guid.NewGuid():N}"[..25];
        await store.ExecuteAsync(
            $"CREATE DATABASE {database} ENGINE = Backup({SqlText.QuoteString(StoreBackups.Database)}, File({SqlText.QuoteString(archivePath)}))",
            cancellationToken: cancellationToken);
        try
        {
            return await CountAsync(store, database, cancellationToken);
        }
        finally
        {
            await store.ExecuteAsync($"DROP DATABASE IF EXISTS {database}", cancellationToken: CancellationToken.None);
        }
    }

    public static async Task<IReadOnlyDictionary<string, long>> CountAsync(IClickHouseStore store, string database, CancellationToken cancellationToken)
    {
        var tables = await store.QueryAsync(
            "SELECT name, engine FROM system.tables WHERE database = {database:String} AND engine NOT LIKE '%View' ORDER BY name",
            new QueryParameters().Add("database", database), cancellationToken: cancellationToken);
        var counts = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < tables.Rows.Count; i++)
        {
            var name = tables.Get<string>(i, "name");
            var count = await store.QueryAsync(
                $"SELECT count() FROM {StoreIdentifiers.Quote(database)}.{StoreIdentifiers.Quote(name)}", cancellationToken: cancellationToken);
            counts[name] = checked((long)count.Scalar<ulong>());
        }
        return counts;
    }

    public static async Task<IReadOnlyList<uint>> MigrationsAsync(IClickHouseStore store, string database, CancellationToken cancellationToken)
    {
        var ledger = await store.QueryAsync(
            "SELECT count() FROM system.tables WHERE database = {database:String} AND name = 'schema_migrations'",
            new QueryParameters().Add("database", database), cancellationToken: cancellationToken);
        if (ledger.Scalar<ulong>() == 0)
        {
            return [];
        }
        var versions = await store.QueryAsync(
            $"SELECT DISTINCT version FROM {StoreIdentifiers.Quote(database)}.schema_migrations ORDER BY version", cancellationToken: cancellationToken);
        return Enumerable.Range(0, versions.Rows.Count).Select(i => versions.Get<uint>(i, "version")).ToArray();
    }
}
