using Zakaz.Storage.Migrations;

namespace Zakaz.Storage.Tests.Migrations;

public sealed class MigrationSetTests
{
    [Fact]
    public void The_shipped_set_starts_with_the_databases_and_is_in_version_order()
    {
        var migrations = MigrationSet.Embedded().Migrations;

        // Numbers are handed out to work done in parallel, so one may land before a lower one: a gap
        // is allowed (the runner applies whatever is pending in version order), a repeat is not.
        Assert.Equal(1u, migrations[0].Version);
        Assert.Equal(migrations.Select(m => m.Version).Order().Distinct(), migrations.Select(m => m.Version));
        Assert.Equal(["CREATE DATABASE IF NOT EXISTS zakaz", "CREATE DATABASE IF NOT EXISTS bi"], migrations[0].Statements.Select(s => s.Text));
    }

    [Fact]
    public void The_checksum_is_the_sha256_of_the_file_bytes()
    {
        const string content = "SELECT 1;\n";

        var migration = Assert.Single(MigrationSet.FromFiles([("0001_one.sql", content)]).Migrations);

        // sha256sum of the same bytes (printf 'SELECT 1;\n' | sha256sum).
        Assert.Equal("b4e0497804e46e0a0b0b8c31975b062152d551bac49c3c2e80932567b4085dcd", migration.Checksum);
    }

    [Fact]
    public void A_directory_loads_its_sql_files_in_version_order_and_ignores_other_files()
    {
        var directory = Directory.CreateTempSubdirectory("zakaz-migrations-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "0010_later.sql"), "SELECT 10");
            // A byte order mark is part of the checksum but not of the first statement.
            File.WriteAllBytes(Path.Combine(directory, "0002_earlier.sql"), [.. Encoding.UTF8.Preamble, .. "SELECT 2"u8]);
            File.WriteAllText(Path.Combine(directory, "README.md"), "not a migration");

            var migrations = MigrationSet.FromDirectory(directory).Migrations;

            Assert.Equal([2u, 10u], migrations.Select(m => m.Version));
            Assert.Equal("SELECT 2", migrations[0].Statements[0].Text);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("1_short.sql")]
    [InlineData("00001_five_digits.sql")]
    [InlineData("0001-dash.sql")]
    [InlineData("0001_CamelCase.sql")]
    [InlineData("0001_.sql")]
    [InlineData("0001_double__underscore.sql")]
    [InlineData("0001_name.SQL")]
    [InlineData("add_orders.sql")]
    public void Badly_named_files_are_rejected_with_the_expected_form(string fileName)
    {
        var error = Assert.Throws<MigrationException>(() => MigrationSet.FromFiles([(fileName, "SELECT 1")]));

        Assert.Contains(fileName + ": a migration file must be named NNNN_snake_name.sql", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_zero_and_files_without_statements_are_rejected()
    {
        var error = Assert.Throws<MigrationException>(() => MigrationSet.FromFiles([("0000_zero.sql", "SELECT 1"), ("0001_empty.sql", "-- todo\n")]));

        Assert.Contains("0000_zero.sql: versions start at 0001.", error.Message, StringComparison.Ordinal);
        Assert.Contains("0001_empty.sql: the file has no SQL statements.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_versions_name_every_file_that_shares_the_version()
    {
        var error = Assert.Throws<MigrationException>(() => MigrationSet.FromFiles(
            [("0001_first.sql", "SELECT 1"), ("0002_orders.sql", "SELECT 2"), ("0002_customers.sql", "SELECT 3")]));

        Assert.Contains("0002_customers.sql, 0002_orders.sql share version 0002; give each migration its own number.", error.Message, StringComparison.Ordinal);
    }
}
