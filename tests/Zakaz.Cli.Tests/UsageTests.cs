namespace Zakaz.Cli.Tests;

/// <summary>Exit codes and help: 0 ok, 1 failure, 2 usage error; every command answers --help.</summary>
public class UsageTests
{
    [Theory]
    [InlineData("--help")]
    [InlineData("demo", "--help")]
    [InlineData("query", "--help")]
    [InlineData("db", "--help")]
    [InlineData("db", "migrate", "--help")]
    [InlineData("db", "status", "--help")]
    [InlineData("doctor", "--help")]
    [InlineData("bench", "--help")]
    [InlineData("bench", "insert", "--help")]
    [InlineData("sandbox", "--help")]
    [InlineData("sandbox", "qtickets", "--help")]
    public async Task Every_command_explains_itself(params string[] args)
    {
        var run = await ZakazProcess.RunAsync(args);

        Assert.Equal(0, run.ExitCode);
        Assert.StartsWith("Usage: zakaz", run.Output, StringComparison.Ordinal);
        Assert.Contains("--data DIR", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bogus")]
    [InlineData("query")]
    [InlineData("query", "SELECT 1", "extra")]
    [InlineData("db", "migrate", "--no-such-flag")]
    [InlineData("db")]
    [InlineData("bench", "insert", "--rows", "many")]
    [InlineData("sandbox", "qtickets", "--orders", "many")]
    public async Task Usage_errors_exit_2_with_a_hint(params string[] args)
    {
        var run = await ZakazProcess.RunAsync(args);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("--help", run.Error, StringComparison.Ordinal);
        Assert.Empty(run.Output);
    }

    [Fact]
    public async Task Version_names_the_pinned_engine()
    {
        var run = await ZakazProcess.RunAsync("--version");

        Assert.Equal(0, run.ExitCode);
        Assert.Matches(@"^zakaz \d+\.\d+\.\d+ \(chDB 26\.7\.3-stable\.1\)\n$", run.Output);
    }

    [Fact]
    public async Task A_bad_configuration_value_names_its_source()
    {
        var run = await ZakazProcess.RunAsync(["--clickhouse", "http://x", "query", "SELECT 1"], new Dictionary<string, string?> { ["CLICKHOUSE_PORT"] = "abc" });

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("CLICKHOUSE_PORT", run.Error, StringComparison.Ordinal);
        Assert.Single(run.ErrorLines);
    }
}
