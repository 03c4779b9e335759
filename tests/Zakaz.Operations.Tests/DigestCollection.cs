using Zakaz.Testing;

namespace Zakaz.Operations.Tests;

/// <summary>Tests on the real zakaz and bi databases run one at a time (see <see cref="ZakazSchemaFixture"/>).</summary>
[CollectionDefinition(ZakazSchemaFixture.CollectionName)]
public sealed class ZakazSchemaCollection : ICollectionFixture<ZakazSchemaFixture>;
