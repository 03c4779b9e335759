using Zakaz.Web;

namespace Zakaz.Configuration.Tests;

/// <summary>The options' check at a host's start (<see cref="ConfigurationKeysValidation{TOptions}"/>) holds bound options to the key table's rules.</summary>
public sealed class StartValidationTests
{
    private readonly ConfigurationKeysValidation<ZakazOptions> _validation = new();

    [Fact]
    public void The_defaults_pass()
    {
        Assert.True(_validation.Validate(null, new ZakazOptions()).Succeeded);
    }

    [Fact]
    public void Every_value_outside_its_rules_is_one_line_naming_its_variable_and_what_it_accepts()
    {
        var options = new ZakazOptions { LogFormat = "xml" };
        options.Storage.Port = 70000;
        options.Storage.Timeout = TimeSpan.FromDays(2);

        var result = _validation.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Equal(
            [
                "CLICKHOUSE_PORT='70000' must be between 1 and 65535",
                "CLICKHOUSE_TIMEOUT_SECONDS='172800' must be at most 86400 seconds (a day)",
                "ZAKAZ_LOG_FORMAT='xml' must be line or json",
            ],
            result.Failures);
    }

    [Fact]
    public void A_secret_is_masked_in_the_failure()
    {
        var options = new ZakazOptions();
        options.Storage.Url = "http://reader:hunter2@[bad";

        var result = _validation.Validate(null, options);

        Assert.DoesNotContain("hunter2", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("CLICKHOUSE_URL=", result.FailureMessage, StringComparison.Ordinal);
    }
}
