using Zakaz.Storage.Migrations;
using Zakaz.Storage.Migrations.Validation;
using Zakaz.Testing;

namespace Zakaz.Storage.Tests.Migrations.Validation;

/// <summary>
/// The project's own migrations follow every rule. The semantic pass re-applies them to the real
/// zakaz and bi databases of the shared store, which is what the "zakaz schema" collection is for;
/// they are idempotent, so the other tests there see the same schema afterwards.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class ShippedMigrationsTests(ZakazSchemaFixture schema)
{
    [Fact]
    public async Task The_shipped_migrations_pass_every_rule_including_the_semantic_pass()
    {
        var validation = await SchemaValidator.ValidateAsync(SqlFile.Embedded(), schema.Store);

        Assert.True(validation.Passed, string.Join(Environment.NewLine, validation.Problems));
        Assert.Equal(MigrationSet.Embedded().Migrations.Count, validation.Files);
        Assert.Equal(MigrationSet.Embedded().Migrations.Sum(m => m.Statements.Count), validation.Statements);
    }
}
