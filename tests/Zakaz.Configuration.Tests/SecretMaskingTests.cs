namespace Zakaz.Configuration.Tests;

public sealed class SecretMaskingTests : IDisposable
{
    private const string Password = "pa55word";
    private const string Token = "qt-t0ken";
    private const string ClientSecret = "vk-s3cret";

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private LoadedConfiguration LoadWithSecrets() => _dir.Load(
        environment: new()
        {
            ["CLICKHOUSE_PASSWORD"] = Password,
            ["QTICKETS_TOKEN"] = Token,
            ["VK_ADS_CLIENT_ID"] = "vk-id",
        },
        flags: new() { ["--clickhouse"] = $"http://user:{Password}@host:8123/zakaz" });

    [Fact]
    public void Describe_masks_secrets_and_url_passwords_and_names_each_source()
    {
        var described = LoadWithSecrets().Describe();

        Assert.DoesNotContain(Password, described, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, described, StringComparison.Ordinal);
        var lines = described.Split('\n');
        Assert.Contains(lines, l => l.StartsWith("Storage:Url ", StringComparison.Ordinal)
            && l.EndsWith("= http://user:***@host:8123/zakaz (from --clickhouse)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Storage:Password ", StringComparison.Ordinal)
            && l.EndsWith("= *** (from CLICKHOUSE_PASSWORD in environment)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("VkAds:ClientSecret ", StringComparison.Ordinal)
            && l.EndsWith("= (not set) (default)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("VkAds:ClientId ", StringComparison.Ordinal)
            && l.EndsWith("= vk-id (from VK_ADS_CLIENT_ID in environment)", StringComparison.Ordinal));
    }

    [Fact]
    public void Entries_carry_masked_values()
    {
        var entries = LoadWithSecrets().Entries.ToDictionary(e => e.Key);

        Assert.Equal("***", entries["Storage:Password"].Value);
        Assert.Equal("***", entries["Qtickets:Token"].Value);
        Assert.Null(entries["VkAds:ClientSecret"].Value);
        Assert.Equal("http://user:***@host:8123/zakaz", entries["Storage:Url"].Value);
        Assert.Equal("Qtickets:Token = *** (from QTICKETS_TOKEN in environment)", entries["Qtickets:Token"].ToString());
        Assert.All(entries.Values, e => Assert.DoesNotContain(Password, e.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Options_print_without_secrets()
    {
        var options = LoadWithSecrets().Options;
        options.VkAds.ClientSecret = ClientSecret;

        string[] printed = [options.ToString(), options.Storage.ToString()!, options.Qtickets.ToString()!, options.VkAds.ToString()!];

        Assert.All(printed, text =>
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain(ClientSecret, text, StringComparison.Ordinal);
        });
        Assert.Contains("Storage:Url=http://user:***@host:8123/zakaz", printed[0], StringComparison.Ordinal);
        Assert.Contains("VkAds:ClientSecret=***", printed[0], StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_url_is_reported_without_its_password()
    {
        var error = Assert.Throws<ConfigurationException>(() =>
            _dir.Load(environment: new() { ["CLICKHOUSE_URL"] = $"tcp://user:{Password}@host:9000" }));

        Assert.Equal("CLICKHOUSE_URL='tcp://user:***@host:9000' is not an absolute http:// or https:// URL (from environment)", error.Message);
    }

    [Theory]
    [InlineData("http://user:secret@host:8123/db", "http://user:***@host:8123/db")]
    [InlineData("http://user:sec/ret@host/db", "http://user:***@host/db")]
    [InlineData("http://user:p@ss@host/db", "http://user:***@host/db")]
    [InlineData("http://user@host:8123/db", "http://user@host:8123/db")]
    [InlineData("http://host:8123/db", "http://host:8123/db")]
    [InlineData("not a url", "not a url")]
    public void Url_passwords_are_masked_even_when_the_url_is_odd(string url, string expected)
    {
        Assert.Equal(expected, Zakaz.Storage.UrlPasswords.Mask(url));
    }
}
