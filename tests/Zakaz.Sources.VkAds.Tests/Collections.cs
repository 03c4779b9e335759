using Zakaz.Testing;

namespace Zakaz.Sources.VkAds.Tests;

/// <summary>Tests on the real zakaz database run one at a time (see <see cref="ZakazSchemaFixture"/>).</summary>
[CollectionDefinition(ZakazSchemaFixture.CollectionName)]
public sealed class ZakazSchemaCollection : ICollectionFixture<ZakazSchemaFixture>;
