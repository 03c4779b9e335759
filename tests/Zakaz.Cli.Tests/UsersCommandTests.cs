using Zakaz.Cli.CommandLine;
using Zakaz.Cli.Commands;
using Zakaz.Storage;

namespace Zakaz.Cli.Tests;

/// <summary>
/// <c>zakaz db users</c>. The test server (ClickHouse 18.16) predates SQL-defined users, so the
/// statements are checked as text, and the CLI only on the embedded store.
/// </summary>
public class UsersCommandTests
{
    [Fact]
    public void A_reader_is_created_or_rotated_and_left_with_only_the_reader_role()
    {
        var statements = UsersCommand.CreateStatements("datalens", "zakaz_reader", "s3cret");

        Assert.Equal(
            [
                "CREATE USER IF NOT EXISTS `datalens` IDENTIFIED WITH sha256_password BY 's3cret'",
                "ALTER USER `datalens` IDENTIFIED WITH sha256_password BY 's3cret'",
                "REVOKE zakaz_writer, zakaz_backup FROM `datalens`",
                "GRANT zakaz_reader TO `datalens`",
                "SET DEFAULT ROLE zakaz_reader TO `datalens`",
            ],
            statements);
    }

    [Theory]
    [InlineData("evil` IDENTIFIED WITH no_password; DROP DATABASE zakaz; --", "x")]
    [InlineData("back\\slash`", "ends with a backslash\\")]
    [InlineData("анна", "' IDENTIFIED WITH no_password --")]
    [InlineData("ops", "\\' OR 1 --")]
    [InlineData("ops", "line\nbreak\r\ttab\0nul '' \"q\" `b`")]
    public void Hostile_names_and_passwords_stay_one_identifier_and_one_literal(string name, string password)
    {
        var statements = UsersCommand.CreateStatements(name, "zakaz_writer", password);

        foreach (var statement in statements.Take(2))
        {
            var start = statement.IndexOf('`', StringComparison.Ordinal);
            var identifierEnd = SqlText.SkipQuoted(statement, start);
            Assert.StartsWith(" IDENTIFIED WITH sha256_password BY '", statement[identifierEnd..], StringComparison.Ordinal);
            var literal = statement.IndexOf('\'', identifierEnd);
            Assert.Equal(statement.Length, SqlText.SkipQuoted(statement, literal));
            Assert.DoesNotContain('\n', statement);
            Assert.DoesNotContain('\0', statement);
        }
        foreach (var statement in statements.Skip(2))
        {
            var start = statement.IndexOf('`', StringComparison.Ordinal);
            Assert.Equal(statement.Length, SqlText.SkipQuoted(statement, start));
            Assert.DoesNotContain(password, statement, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("ivan.petrov")]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("two\nlines")]
    public void Names_the_quoting_cannot_carry_are_refused(string name)
    {
        Assert.Throws<UsageException>(() => UsersCommand.CreateStatements(name, "zakaz_reader", "x"));
    }

    [Fact]
    public void Only_Zakaz_roles_can_be_granted()
    {
        Assert.Throws<ArgumentException>(() => UsersCommand.CreateStatements("datalens", "default", "x"));
    }

    [Fact]
    public async Task On_the_embedded_store_create_and_list_explain_and_change_nothing()
    {
        var data = ZakazProcess.NewDataDirectory();
        var environment = new Dictionary<string, string?> { [UsersCommand.DefaultPasswordVariable] = "do-not-print-me" };

        var create = await ZakazProcess.RunAsync(["--data", data, "db", "users", "create", "datalens", "--role", "reader"], environment);
        var list = await ZakazProcess.RunAsync("--data", data, "db", "users", "list");

        Assert.Equal((0, UsersCommand.EmbeddedNote + "\n", ""), (create.ExitCode, create.Output, create.Error));
        Assert.Equal((0, UsersCommand.EmbeddedNote + "\n"), (list.ExitCode, list.Output));
        Assert.False(Directory.Exists(data));
    }

    [Theory]
    [InlineData("--role", "admin")]
    [InlineData("--password-env", "X")]
    public async Task A_missing_or_unknown_role_is_a_usage_error(string option, string value)
    {
        var run = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "db", "users", "create", "datalens", option, value);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--role", run.ErrorLines[0], StringComparison.Ordinal);
    }
}
