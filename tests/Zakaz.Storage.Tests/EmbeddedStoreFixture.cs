using Zakaz.Testing;
namespace Zakaz.Storage.Tests;

/// <summary>
/// The xunit face of <see cref="SharedEmbeddedStore"/>: chDB binds one data directory per process,
/// so every test class in the "embedded" collection gets the same store and isolates itself with a
/// database from <see cref="NewDatabaseName"/>. A missing chDB library fails these tests; it is
/// never a reason to skip, in CI or elsewhere.
/// </summary>
public sealed class EmbeddedStoreFixture
{
    public IClickHouseStore Store => SharedEmbeddedStore.Instance;

    public static string NewDatabaseName() => SharedEmbeddedStore.NewDatabaseName();
}

[CollectionDefinition(Name)]
public sealed class EmbeddedStoreCollection : ICollectionFixture<EmbeddedStoreFixture>
{
    public const string Name = "embedded";
}
