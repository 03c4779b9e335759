using Xunit;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;

namespace Zakaz.Testing;

/// <summary>
/// The project's real schema (databases zakaz and bi) in the process's shared embedded store.
/// Those names are fixed, so every test that uses them belongs to the "zakaz schema" collection,
/// which xunit runs one test at a time; each test starts from <see cref="ResetDataAsync"/>.
/// (xunit wants collection definitions in the test assembly: each test project declares
/// <c>[CollectionDefinition("zakaz schema")] class ... : ICollectionFixture&lt;ZakazSchemaFixture&gt;</c>.)
/// </summary>
public sealed class ZakazSchemaFixture : IAsyncLifetime
{
    public const string CollectionName = "zakaz schema";

    // Seeded reference data and the ledger survive a reset; everything else is test data.
    private static readonly string[] Kept = ["dim_city_alias", "schema_migrations"];

    public IClickHouseStore Store => SharedEmbeddedStore.Instance;

    public MigrationReport? FirstMigration { get; private set; }

    public async Task InitializeAsync() => FirstMigration = await new MigrationRunner(Store, MigrationSet.Embedded()).MigrateAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>Empties every zakaz table except the seeded ones.</summary>
    public async Task ResetDataAsync()
    {
        var tables = await Store.QueryAsync("SELECT name FROM system.tables WHERE database = 'zakaz' AND engine NOT LIKE '%View'");
        foreach (var row in tables.Rows)
        {
            var name = (string)row[0]!;
            if (!Kept.Contains(name))
            {
                await Store.ExecuteAsync($"TRUNCATE TABLE zakaz.{name}");
            }
        }
    }
}
