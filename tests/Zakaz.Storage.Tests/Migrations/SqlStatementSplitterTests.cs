using Zakaz.Storage.Migrations;

namespace Zakaz.Storage.Tests.Migrations;

public sealed class SqlStatementSplitterTests
{
    [Fact]
    public void Statements_are_cut_at_semicolons_with_their_starting_lines()
    {
        var statements = SqlStatementSplitter.Split("CREATE DATABASE a;\n\nCREATE TABLE a.t (x UInt8)\nENGINE = Memory;\nSELECT 1");

        Assert.Equal(
            [new SqlStatement("CREATE DATABASE a", 1), new SqlStatement("CREATE TABLE a.t (x UInt8)\nENGINE = Memory", 3), new SqlStatement("SELECT 1", 5)],
            statements);
    }

    [Theory]
    [InlineData("SELECT 'a;b'")]
    [InlineData(@"SELECT 'it\'s; here'")]
    [InlineData("SELECT 'it''s; here'")]
    [InlineData(@"SELECT 'ends in backslash\\', ';'")]
    [InlineData("SELECT \"odd;name\" FROM t")]
    [InlineData("SELECT `odd;name` FROM t")]
    [InlineData("SELECT \"say \"\"hi;\"\"\" FROM t")]
    [InlineData("SELECT 1 /* ; */ + 2")]
    [InlineData("SELECT 1 -- ; not a cut\n + 2")]
    public void Semicolons_inside_literals_names_and_comments_do_not_cut(string statement)
    {
        var statements = SqlStatementSplitter.Split(statement + ";\nSELECT 2;");

        Assert.Equal([new SqlStatement(statement, 1), new SqlStatement("SELECT 2", statement.Count(c => c == '\n') + 2)], statements);
    }

    [Fact]
    public void Comments_around_statements_are_left_out_and_the_line_is_the_first_token()
    {
        var sql = """
            -- Header comment; with a semicolon.
            /* A block
               over lines; */
            CREATE DATABASE a; -- trailing
            -- only a comment;
            ;;
            /* nothing here */ ;
              SELECT /* inner; */ 1 -- last
            """;

        var statements = SqlStatementSplitter.Split(sql);

        Assert.Equal([new SqlStatement("CREATE DATABASE a", 4), new SqlStatement("SELECT /* inner; */ 1", 8)], statements);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  \n ; ;\n")]
    [InlineData("-- just a note\n/* and a block */")]
    public void Empty_and_comment_only_scripts_have_no_statements(string sql) =>
        Assert.Empty(SqlStatementSplitter.Split(sql));

    [Fact]
    public void Windows_line_ends_count_as_one_line_each()
    {
        var statements = SqlStatementSplitter.Split("SELECT 1;\r\n\r\nSELECT 2\r\n");

        Assert.Equal([new SqlStatement("SELECT 1", 1), new SqlStatement("SELECT 2", 3)], statements);
    }
}
