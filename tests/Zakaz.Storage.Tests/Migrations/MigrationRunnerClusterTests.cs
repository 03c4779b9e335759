using Zakaz.Storage.Migrations;

namespace Zakaz.Storage.Tests.Migrations;

/// <summary>
/// No cluster runs here, so these tests record what the runner sends instead of executing it: the
/// exact statements, the ledger's own DDL included, that a cluster would receive.
/// </summary>
public sealed class MigrationRunnerClusterTests
{
    private const string Replication = "'/clickhouse/tables/{shard}/{database}/{table}', '{replica}'";

    [Fact]
    public async Task With_a_cluster_the_ledger_and_every_statement_run_on_the_cluster_with_replicated_engines()
    {
        var store = new RecordingStore();
        var migrations = MigrationSet.FromFiles([("0001_orders.sql", "CREATE TABLE zakaz.orders (id UInt64, _ver UInt64) ENGINE = ReplacingMergeTree(_ver) ORDER BY id;")]);

        await new MigrationRunner(store, migrations, new MigrationOptions { Cluster = "main" }).MigrateAsync();

        Assert.Equal(
            [
                "CREATE DATABASE IF NOT EXISTS `zakaz` ON CLUSTER main",
                "CREATE TABLE IF NOT EXISTS `zakaz`.schema_migrations ON CLUSTER main (\n    version UInt32,\n    name String,\n    checksum String,\n    applied_at DateTime('UTC')\n) "
                    + $"ENGINE = ReplicatedMergeTree({Replication}) ORDER BY version",
                $"CREATE TABLE zakaz.orders ON CLUSTER main (id UInt64, _ver UInt64) ENGINE = ReplicatedReplacingMergeTree({Replication}, _ver) ORDER BY id",
                "INSERT INTO `zakaz`.schema_migrations (version, name, checksum, applied_at) SELECT {version:UInt32}, {name:String}, {checksum:String}, now()",
            ],
            store.Executed.Select(e => e.Sql));
        var ledgerRow = store.Executed[^1].Parameters!;
        Assert.Equal((1u, "orders", migrations.Migrations[0].Checksum), ((uint)ledgerRow["version"]!, (string)ledgerRow["name"]!, (string)ledgerRow["checksum"]!));
    }

    /// <summary>A store with an empty system.tables: every ledger looks missing, every statement succeeds.</summary>
    private sealed class RecordingStore : IClickHouseStore
    {
        public List<(string Sql, QueryParameters? Parameters)> Executed { get; } = [];

        public StoreKind Kind => StoreKind.Server;

        public string Location => "recording";

        public StoreSecrets Secrets { get; } = StoreSecrets.FromSetting(null);

        public Task ExecuteAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default)
        {
            Executed.Add((sql, parameters));
            return Task.CompletedTask;
        }

        public Task<QueryResult> QueryAsync(string sql, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
            Task.FromResult(new QueryResult([new QueryColumn("count()", ClickHouseType.Parse("UInt64"))], [[0UL]]));

        public Task QueryToStreamAsync(string sql, string format, Stream destination, QueryParameters? parameters = null, QueryOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<long> InsertAsync<T>(string table, RowSchema<T> schema, IEnumerable<T> rows, InsertOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
