using Zakaz.Configuration;

namespace Zakaz.Sources.Qtickets.Tests;

public sealed class QticketsClientOptionsTests
{
    [Fact]
    public void The_configuration_gives_the_base_URL_and_token_and_the_spec_defaults()
    {
        var options = QticketsClientOptions.FromConfiguration(new QticketsOptions { Token = "t0ken", BaseUrl = new Uri("http://127.0.0.1:9/api/rest/v1") });

        Assert.Equal(("t0ken", "http://127.0.0.1:9/api/rest/v1"), (options.Token, options.BaseUrl.OriginalString));
        Assert.Equal((4, 5, TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60)),
            (options.MaxConcurrency, options.MaxAttempts, options.RequestTimeout, options.RetryBaseDelay, options.RetryMaxDelay));
    }

    [Fact]
    public void A_missing_token_says_which_setting_to_set()
    {
        var error = Assert.Throws<ConfigurationException>(() => QticketsClientOptions.FromConfiguration(new QticketsOptions()));

        Assert.Contains("QTICKETS_TOKEN", error.Message);
    }
}
