namespace Zakaz.Configuration.Tests;

public sealed class DotEnvParserTests
{
    [Fact]
    public void Comments_blank_lines_and_export_are_understood()
    {
        var variables = DotEnvParser.Parse("""
            # Zakaz production

            export QTICKETS_TOKEN=abc
               CLICKHOUSE_DB = zakaz   
            exportable=1
            """, ".env");

        Assert.Equal(
            [new("QTICKETS_TOKEN", "abc", 3), new("CLICKHOUSE_DB", "zakaz", 4), new("exportable", "1", 5)],
            variables);
    }

    [Theory]
    [InlineData("A=x=y==", "x=y==")]
    [InlineData("A=http://u:p@h:8123/db?x=1", "http://u:p@h:8123/db?x=1")]
    [InlineData("A=value # comment", "value")]
    [InlineData("A=va#lue", "va#lue")]
    [InlineData("A=#glued", "#glued")]
    [InlineData("A= # only a comment", "")]
    [InlineData("A=", "")]
    [InlineData("A=  spaced out  ", "spaced out")]
    [InlineData("A='single # kept \\n'", "single # kept \\n")]
    [InlineData("A='x' # comment", "x")]
    [InlineData("A=\"a\\nb\\t\\\"c\\\" \\\\ \\$d\"", "a\nb\t\"c\" \\ $d")]
    [InlineData("A=\"C:\\dir\"", "C:\\dir")]
    [InlineData("A=\"  padded  \"", "  padded  ")]
    [InlineData("A=\"\"", "")]
    [InlineData("A=\"has # hash\" # and a comment", "has # hash")]
    public void Values_are_read_as_dotenv_writes_them(string line, string expected)
    {
        Assert.Equal(expected, Assert.Single(DotEnvParser.Parse(line, ".env")).Value);
    }

    [Fact]
    public void Windows_line_endings_are_ignored()
    {
        var variables = DotEnvParser.Parse("A=1\r\nB=\"2\"\r\n", ".env");

        Assert.Equal([new("A", "1", 1), new("B", "2", 2)], variables);
    }

    [Theory]
    [InlineData("A=1\nsecret-token-without-name", "prod.env:2: expected NAME=value")]
    [InlineData("1A=x", "prod.env:1: the name before '=' must be letters, digits and '_', not starting with a digit")]
    [InlineData("MY-KEY=x", "prod.env:1: the name before '=' must be letters, digits and '_', not starting with a digit")]
    [InlineData("=x", "prod.env:1: the name before '=' must be letters, digits and '_', not starting with a digit")]
    [InlineData("\n\nA=\"open", "prod.env:3: the double-quoted value has no closing quote")]
    [InlineData("A='open", "prod.env:1: the single-quoted value has no closing quote")]
    [InlineData("A=\"x\" y", "prod.env:1: unexpected text after the closing quote")]
    [InlineData("export A", "prod.env:1: expected NAME=value")]
    public void Malformed_lines_name_the_file_and_line(string text, string expected)
    {
        var error = Assert.Throws<ConfigurationException>(() => DotEnvParser.Parse(text, "prod.env"));

        Assert.Equal(expected, error.Message);
    }

    [Fact]
    public void A_malformed_line_is_not_echoed_because_it_may_hold_a_secret()
    {
        var error = Assert.Throws<ConfigurationException>(() => DotEnvParser.Parse("QTICKETS_TOKEN \"s3cret", ".env"));

        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_last_assignment_of_a_name_wins_through_the_loader()
    {
        using var dir = new TempDirectory();
        dir.Write(".env", "CLICKHOUSE_DB=first\nCLICKHOUSE_DB=second\n");

        var entry = dir.Load(envFile: ".env").Entries.Single(e => e.Key == "Storage:Database");

        Assert.Equal(("second", ".env:2"), (entry.Value, entry.Source));
    }
}
