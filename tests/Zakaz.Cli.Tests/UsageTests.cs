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

    [Theory]
    [InlineData("--to must be a date from 2000-01-01 to 2099-12-31, not '0001-01-01'", "facts", "rebuild", "--from", "2025-01-01", "--to", "0001-01-01")]
    [InlineData("--from must be a date from 2000-01-01 to 2099-12-31, not '2140-01-01'", "facts", "rebuild", "--from", "2140-01-01", "--to", "2140-01-02")]
    [InlineData("--from must be a date from 2000-01-01", "report", "roi", "--from", "1999-12-31")]
    [InlineData("--to must be a date from 2000-01-01", "mappings", "apply", "--to", "2100-01-01")]
    [InlineData("--from must be a date from 2000-01-01", "sync", "vk-ads", "--from", "0001-01-01")]
    [InlineData("--since must be a date from 2000-01-01", "sync", "qtickets", "--since", "0001-01-01")]
    [InlineData("--since-hours needs a whole number from 1 to 87600, not '99999999999'", "sync", "qtickets", "--since-hours", "99999999999")]
    [InlineData("--days needs a whole number from 1 to 3650, not '100000'", "sync", "qtickets", "--reconcile", "--days", "100000")]
    [InlineData("--days needs a whole number from 1 to 3650, not '99999999999'", "sync", "qtickets", "--reconcile", "--days", "99999999999")]
    [InlineData("--concurrency needs a whole number from 1 to 64, not '100000'", "sync", "qtickets", "--concurrency", "100000")]
    [InlineData("--port needs a whole number from 1 to 65535, not '99999999999'", "serve", "--port", "99999999999")]
    [InlineData("--port needs a whole number from 1 to 65535, not '70000'", "demo", "--port", "70000")]
    public async Task Dates_and_numbers_out_of_range_are_usage_errors_naming_the_option(string message, params string[] args)
    {
        var run = await ZakazProcess.RunAsync(["--data", ZakazProcess.NewDataDirectory(), .. args]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
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
