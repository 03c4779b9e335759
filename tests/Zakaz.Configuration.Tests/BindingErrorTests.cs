namespace Zakaz.Configuration.Tests;

public sealed class BindingErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void A_bad_number_names_the_variable_and_the_environment()
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(environment: new() { ["CLICKHOUSE_PORT"] = "abc" }));

        Assert.Equal("CLICKHOUSE_PORT='abc' is not a number (from environment)", error.Message);
    }

    [Fact]
    public void A_bad_boolean_names_the_env_file_line()
    {
        _dir.Write("prod.env", "# flags\nCLICKHOUSE_SECURE=maybe\n");

        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(envFile: "prod.env"));

        Assert.Equal("CLICKHOUSE_SECURE='maybe' is not true/false (also accepted: 1/0, yes/no, on/off) (from prod.env:2)", error.Message);
    }

    [Fact]
    public void A_bad_json_value_names_the_key_as_written_and_the_file()
    {
        _dir.Write("appsettings.json", """{"qtickets": {"initialBackfillDays": 2.5}}""");

        var error = Assert.Throws<ConfigurationException>(() => _dir.Load());

        Assert.Equal("qtickets:initialBackfillDays='2.5' is not a number (from appsettings.json)", error.Message);
    }

    [Fact]
    public void A_bad_flag_names_the_flag()
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(flags: new() { ["--verbose"] = "loud" }));

        Assert.Equal("--verbose='loud' is not true/false (also accepted: 1/0, yes/no, on/off) (from command line)", error.Message);
    }

    [Theory]
    [InlineData("CLICKHOUSE_PORT", "0", "must be between 1 and 65535")]
    [InlineData("CLICKHOUSE_PORT", "70000", "must be between 1 and 65535")]
    [InlineData("QTICKETS_INITIAL_BACKFILL_DAYS", "0", "must be between 1 and 3650")]
    [InlineData("QTICKETS_INITIAL_BACKFILL_DAYS", "3651", "must be between 1 and 3650")]
    [InlineData("QTICKETS_INITIAL_BACKFILL_DAYS", "99999999999", "must be between 1 and 3650")]
    [InlineData("QTICKETS_LOOKBACK_HOURS", "2147483647", "must be between 0 and 720")]
    [InlineData("VK_ADS_LOOKBACK_DAYS", "367", "must be between 1 and 366")]
    [InlineData("CLICKHOUSE_TIMEOUT_SECONDS", "1e300", "must be at most 86400 seconds (a day)")]
    [InlineData("CLICKHOUSE_TIMEOUT_SECONDS", "-5", "must be a positive number of seconds")]
    [InlineData("CLICKHOUSE_TIMEOUT_SECONDS", "5m", "is not a number of seconds")]
    [InlineData("QTICKETS_BASE_URL", "qtickets.ru/api", "is not an absolute http:// or https:// URL")]
    [InlineData("VK_ADS_BASE_URL", "ftp://ads.vk.com", "is not an absolute http:// or https:// URL")]
    public void Out_of_range_values_say_what_is_allowed(string name, string value, string problem)
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(environment: new() { [name] = value }));

        Assert.Equal($"{name}='{value}' {problem} (from environment)", error.Message);
    }

    [Fact]
    public void Every_numeric_key_refuses_a_value_beyond_a_sane_maximum()
    {
        var numeric = ConfigurationKeys.All.Where(k => k.Kind is ConfigurationValueKind.Number or ConfigurationValueKind.Seconds).ToList();

        foreach (var key in numeric)
        {
            var error = Assert.Throws<ConfigurationException>(() => _dir.Load(environment: new() { [key.EnvironmentVariable] = int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture) }));
            Assert.Matches($"^{key.EnvironmentVariable}='2147483647' must be (between -?[0-9]+ and [0-9]+|at most [0-9]+ seconds.*) \\(from environment\\)$", error.Message);
        }
        Assert.True(numeric.Count >= 9, $"expected every numeric key to be checked, found {numeric.Count}");
    }

    [Fact]
    public void Every_bad_value_is_reported_at_once()
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(environment: new()
        {
            ["CLICKHOUSE_PORT"] = "abc",
            ["QTICKETS_INITIAL_BACKFILL_DAYS"] = "many",
        }));

        Assert.Equal(
            [
                "CLICKHOUSE_PORT='abc' is not a number (from environment)",
                "QTICKETS_INITIAL_BACKFILL_DAYS='many' is not a number (from environment)",
            ],
            error.Problems);
    }

    [Fact]
    public void A_bad_value_in_a_lower_layer_does_not_matter_once_overridden()
    {
        _dir.Write(".env", "CLICKHOUSE_PORT=9000");

        var loaded = _dir.Load(environment: new() { ["CLICKHOUSE_PORT"] = "abc" }, envFile: ".env");

        Assert.Equal(9000, loaded.Options.Storage.Port);
    }
}
