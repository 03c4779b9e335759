namespace Zakaz.Storage.Tests;

public class ClickHouseErrorParserTests
{
    [Theory]
    [InlineData("Code: 47, e.displayText() = DB::Exception: Unknown identifier: x, e.what() = DB::Exception\n", null, 47, "Unknown identifier: x")]
    [InlineData("Code: 47. DB::Exception: Missing columns: 'x' while processing query: 'SELECT x', required columns: 'x'. (UNKNOWN_IDENTIFIER) (version 24.8.4.13 (official build))\n", null, 47,
        "Missing columns: 'x' while processing query: 'SELECT x', required columns: 'x'. (UNKNOWN_IDENTIFIER)")]
    [InlineData("Code: 516. DB::Exception: default: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED) (version 24.8.1.1)", 516, 516,
        "default: Authentication failed: password is incorrect, or there is no user with such name. (AUTHENTICATION_FAILED)")]
    [InlineData("Code: 60. DB::Exception: Unknown table expression identifier 'nowhere' in scope SELECT 1 FROM nowhere. (UNKNOWN_TABLE)", null, 60,
        "Unknown table expression identifier 'nowhere' in scope SELECT 1 FROM nowhere. (UNKNOWN_TABLE)")]
    [InlineData("Received exception from server (version 24.3.1):\nCode: 62. DB::Exception: Syntax error: failed at position 1. (SYNTAX_ERROR)", null, 62, "Syntax error: failed at position 1. (SYNTAX_ERROR)")]
    [InlineData("something unexpected", 241, 241, "something unexpected")]
    public void Every_server_generation_yields_code_and_message(string body, int? header, int code, string message)
    {
        var error = ClickHouseErrorParser.Parse(body, header);

        Assert.Equal(code, error.Code);
        Assert.Equal(message, error.ServerMessage);
    }

    [Fact]
    public void Stack_traces_after_the_first_line_are_dropped()
    {
        var error = ClickHouseErrorParser.Parse("Code: 62. DB::Exception: Syntax error. (SYNTAX_ERROR)\n\nStack trace:\n0. DB::Exception::Exception()\n");

        Assert.Equal("Syntax error. (SYNTAX_ERROR)", error.ServerMessage);
    }
}
