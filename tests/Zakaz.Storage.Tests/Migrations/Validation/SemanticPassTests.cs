using Zakaz.Storage.Migrations.Validation;
using Zakaz.Testing;

namespace Zakaz.Storage.Tests.Migrations.Validation;

/// <summary>The semantic pass on the process's shared embedded store; every file here creates only its own vfix_ database.</summary>
[Collection(EmbeddedStoreCollection.Name)]
public sealed class SemanticPassTests(EmbeddedStoreFixture fixture) : IAsyncLifetime
{
    private readonly string _database = SharedEmbeddedStore.NewDatabaseName("vfix");

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await fixture.Store.ExecuteAsync($"DROP DATABASE IF EXISTS {_database}");

    [Fact]
    public async Task Files_that_follow_every_rule_apply_and_their_views_work()
    {
        var validation = await ValidateAsync(SchemaRuleTests.GoodFiles(_database));

        Assert.Empty(validation.Problems);
        Assert.Equal(
            "the semantic pass skipped 3 access-control statement(s) (roles, users, grants): the embedded engine has no access management; rule grant-target still checks their names.",
            Assert.Single(validation.Notes));
        var views = await fixture.Store.QueryAsync($"SELECT count() FROM system.tables WHERE database = '{_database}' AND engine = 'View'");
        Assert.Equal(2UL, views.Scalar<ulong>());
    }

    [Fact]
    public async Task A_statement_the_engine_refuses_is_reported_at_its_line_and_the_rest_still_run()
    {
        var validation = await ValidateAsync(
            ("0001_table.sql", $"CREATE DATABASE IF NOT EXISTS {_database};\nCREATE TABLE IF NOT EXISTS {_database}.t (a UInt8) ENGINE = MergeTree ORDER BY a;"),
            ("0002_view.sql", $"-- the column is misspelt\nCREATE OR REPLACE VIEW {_database}.v AS SELECT b FROM {_database}.t;\nCREATE TABLE IF NOT EXISTS {_database}.later (a UInt8) ENGINE = MergeTree ORDER BY a;"));

        var problem = Assert.Single(validation.Problems);
        Assert.Equal(("0002_view.sql", 2, "semantic"), (problem.File, problem.Line, problem.Rule));
        Assert.Contains("UNKNOWN_IDENTIFIER", problem.Message, StringComparison.Ordinal);
        Assert.Equal(1, (await fixture.Store.QueryAsync($"EXISTS TABLE {_database}.later")).Scalar<byte>());
    }

    [Fact]
    public async Task Two_independent_defects_of_a_folder_are_both_reported()
    {
        var validation = await ValidateAsync(
            ("0001_tables.sql", $"""
                CREATE DATABASE IF NOT EXISTS {_database};
                CREATE TABLE IF NOT EXISTS {_database}.orders (id UInt64, city String) ENGINE = MergeTree ORDER BY id;
                CREATE TABLE IF NOT EXISTS {_database}.spend (d Date, city String) ENGINE = MergeTree ORDER BY d;
                """),
            ("0002_views.sql", $"""
                CREATE OR REPLACE VIEW {_database}.v_orders AS SELECT id, cty FROM {_database}.orders;
                CREATE OR REPLACE VIEW {_database}.v_spend AS SELECT d, city FROM {_database}.spend;
                CREATE OR REPLACE VIEW {_database}.v_cities AS SELECT city, missing_column FROM {_database}.spend;
                """));

        Assert.Equal(new[] { ("0002_views.sql", 1), ("0002_views.sql", 3) }, validation.Problems.Select(p => (p.File, p.Line)));
        Assert.All(validation.Problems, p => Assert.Equal("semantic", p.Rule));
        Assert.Contains("cty", validation.Problems[0].Message, StringComparison.Ordinal);
        Assert.Contains("missing_column", validation.Problems[1].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Statements_failing_only_because_an_earlier_one_was_refused_are_counted_on_it_not_listed()
    {
        var validation = await ValidateAsync(
            ("0001_table.sql", $"""
                CREATE DATABASE IF NOT EXISTS {_database};
                CREATE TABLE IF NOT EXISTS {_database}.t (a UInt8) ENGINE = NoSuchEngine;
                CREATE OR REPLACE VIEW {_database}.v AS SELECT a FROM {_database}.t;
                CREATE OR REPLACE VIEW {_database}.w AS SELECT a FROM {_database}.v;
                """));

        var problem = Assert.Single(validation.Problems);
        Assert.Equal(("0001_table.sql", 2, "semantic"), (problem.File, problem.Line, problem.Rule));
        Assert.EndsWith("(2 later statement(s) that use what this one makes failed with it and are not listed)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_view_broken_by_a_later_change_is_reported_at_its_create()
    {
        var validation = await ValidateAsync(
            ("0001_view.sql", $"""
                CREATE DATABASE IF NOT EXISTS {_database};
                CREATE TABLE IF NOT EXISTS {_database}.t (a UInt8) ENGINE = MergeTree ORDER BY tuple();
                CREATE OR REPLACE VIEW {_database}.v AS SELECT a FROM {_database}.t;
                """),
            ("0002_rename.sql", $"ALTER TABLE {_database}.t RENAME COLUMN a TO b;"));

        var problem = Assert.Single(validation.Problems);
        Assert.Equal(("0001_view.sql", 3, "semantic"), (problem.File, problem.Line, problem.Rule));
        Assert.StartsWith($"view {_database}.v cannot be read: ClickHouse error 47", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_later_file_may_redefine_a_view_with_more_columns_but_not_without_one_it_had()
    {
        var validation = await ValidateAsync(
            ("0001_view.sql", $"""
                CREATE DATABASE IF NOT EXISTS {_database};
                CREATE TABLE IF NOT EXISTS {_database}.t (a UInt8, b UInt8, c UInt8) ENGINE = MergeTree ORDER BY tuple();
                CREATE OR REPLACE VIEW {_database}.wide AS SELECT a, b FROM {_database}.t;
                CREATE OR REPLACE VIEW {_database}.narrow AS SELECT a, b FROM {_database}.t;
                """),
            ("0002_redefine.sql", $"""
                CREATE OR REPLACE VIEW {_database}.wide AS SELECT a, b, c FROM {_database}.t;
                CREATE OR REPLACE VIEW {_database}.narrow AS SELECT a, c FROM {_database}.t;
                """));

        var problem = Assert.Single(validation.Problems);
        Assert.Equal(("0002_redefine.sql", 2, "view-columns"), (problem.File, problem.Line, problem.Rule));
        Assert.StartsWith($"view {_database}.narrow is redefined without column(s) b that an earlier file gave it", problem.Message, StringComparison.Ordinal);
    }

    private Task<SchemaValidation> ValidateAsync(params (string Name, string Sql)[] files) =>
        SchemaValidator.ValidateAsync(files.Select(SchemaRuleTests.File).ToArray(), fixture.Store);
}
