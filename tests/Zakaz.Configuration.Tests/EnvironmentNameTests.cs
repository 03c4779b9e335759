namespace Zakaz.Configuration.Tests;

public sealed class EnvironmentNameTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    // The names deployments already use; renaming one breaks them.
    public static TheoryData<string, string, string> SeedNames => new()
    {
        { "ZAKAZ_DATA_DIR", "/var/lib/zakaz", "Storage:DataDirectory" },
        { "ZAKAZ_CHDB_LIBRARY", "/opt/libchdb.so", "Storage:ChDbLibrary" },
        { "CLICKHOUSE_URL", "https://ch.example:8443/zakaz", "Storage:Url" },
        { "CLICKHOUSE_HOST", "ch.example", "Storage:Host" },
        { "CLICKHOUSE_PORT", "9440", "Storage:Port" },
        { "CLICKHOUSE_USER", "loader", "Storage:User" },
        { "CLICKHOUSE_PASSWORD", "hunter2", "Storage:Password" },
        { "CLICKHOUSE_DB", "zakaz", "Storage:Database" },
        { "CLICKHOUSE_SECURE", "yes", "Storage:Secure" },
        { "CLICKHOUSE_TIMEOUT_SECONDS", "30", "Storage:Timeout" },
        { "QTICKETS_TOKEN", "qt-token", "Qtickets:Token" },
        { "QTICKETS_BASE_URL", "https://qt.example/api", "Qtickets:BaseUrl" },
        { "QTICKETS_INITIAL_BACKFILL_DAYS", "14", "Qtickets:InitialBackfillDays" },
        { "VK_ADS_CLIENT_ID", "vk-id", "VkAds:ClientId" },
        { "VK_ADS_CLIENT_SECRET", "vk-secret", "VkAds:ClientSecret" },
        { "VK_ADS_BASE_URL", "https://vk.example", "VkAds:BaseUrl" },
    };

    [Theory]
    [MemberData(nameof(SeedNames))]
    public void Each_seed_name_sets_its_key_from_the_environment_and_from_an_env_file(string name, string value, string key)
    {
        Assert.Equal(name, ConfigurationKeys.FindByKey(key)!.EnvironmentVariable);
        _dir.Write(".env", $"{name}={value}\n");

        var fromEnvironment = _dir.Load(environment: new() { [name] = value }).Entries.Single(e => e.Key == key);
        var fromFile = _dir.Load(envFile: ".env").Entries.Single(e => e.Key == key);

        Assert.Equal((ConfigurationLayer.Environment, "environment", name), (fromEnvironment.Layer, fromEnvironment.Source, fromEnvironment.Name));
        Assert.Equal((ConfigurationLayer.EnvFile, ".env:1", name), (fromFile.Layer, fromFile.Source, fromFile.Name));
    }

    [Fact]
    public void Seed_names_bind_onto_the_typed_options()
    {
        var environment = SeedNames.ToDictionary(row => (string)row[0], row => (string)row[1]);

        var options = _dir.Load(environment: environment).Options;

        Assert.Equal("/var/lib/zakaz", options.Storage.DataDirectory);
        Assert.Equal("/opt/libchdb.so", options.Storage.ChDbLibrary);
        Assert.Equal("https://ch.example:8443/zakaz", options.Storage.Url);
        Assert.Equal("ch.example", options.Storage.Host);
        Assert.Equal(9440, options.Storage.Port);
        Assert.Equal("loader", options.Storage.User);
        Assert.Equal("hunter2", options.Storage.Password);
        Assert.Equal("zakaz", options.Storage.Database);
        Assert.True(options.Storage.Secure);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Storage.Timeout);
        Assert.Equal("qt-token", options.Qtickets.Token);
        Assert.Equal(new Uri("https://qt.example/api"), options.Qtickets.BaseUrl);
        Assert.Equal(14, options.Qtickets.InitialBackfillDays);
        Assert.Equal("vk-id", options.VkAds.ClientId);
        Assert.Equal("vk-secret", options.VkAds.ClientSecret);
        Assert.Equal(new Uri("https://vk.example"), options.VkAds.BaseUrl);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("FALSE", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData("yes", true)]
    [InlineData("No", false)]
    [InlineData(" on ", true)]
    [InlineData("off", false)]
    public void Booleans_accept_the_usual_spellings(string text, bool expected)
    {
        var options = _dir.Load(environment: new() { ["CLICKHOUSE_SECURE"] = text }).Options;

        Assert.Equal(expected, options.Storage.Secure);
    }

    [Fact]
    public void The_clickhouse_url_keeps_its_spelling_so_an_explicit_port_stays_visible()
    {
        var options = _dir.Load(environment: new() { ["CLICKHOUSE_URL"] = "http://host:80/db" }).Options;

        Assert.Equal("http://host:80/db", options.Storage.Url);
    }

    [Fact]
    public void The_key_table_has_unique_keys_names_and_flags()
    {
        var all = ConfigurationKeys.All;

        Assert.Equal(all.Count, all.Select(k => k.Key.ToUpperInvariant()).Distinct().Count());
        Assert.Equal(all.Count, all.Select(k => k.EnvironmentVariable).Distinct().Count());
        Assert.Equal(["--clickhouse", "--clickhouse-password-file", "--data", "--verbose"], all.Select(k => k.CommandLineFlag).OfType<string>().Order());
        Assert.All(all, k => Assert.False(string.IsNullOrWhiteSpace(k.Description)));
        Assert.Equal(
            ["Channels:SmtpPassword", "Channels:TelegramBotToken", "Dashboard:ApiToken", "Dashboard:PasswordHash", "Dashboard:SessionKey", "Qtickets:BuyerKeySecret", "Qtickets:Token", "Qtickets:WebhookSecret", "Storage:Password", "Storage:SecretsKey", "VkAds:ClientSecret", "YandexDirect:Token"],
            all.Where(k => k.IsSecret).Select(k => k.Key).Order());
    }

    [Fact]
    public void Defaults_are_published_for_the_reference()
    {
        Assert.Equal("./zakaz-data", ConfigurationKeys.FindByKey("Storage:DataDirectory")!.Display(new ZakazOptions()));
        Assert.Equal("300", ConfigurationKeys.FindByKey("Storage:Timeout")!.Display(new ZakazOptions()));
        Assert.Equal("30", ConfigurationKeys.FindByKey("Qtickets:InitialBackfillDays")!.Display(new ZakazOptions()));
        Assert.Equal("https://qtickets.ru/api/rest/v1", ConfigurationKeys.FindByKey("Qtickets:BaseUrl")!.Display(new ZakazOptions()));
        Assert.Null(ConfigurationKeys.FindByKey("Storage:Url")!.Display(new ZakazOptions()));
    }

    [Fact]
    public void Without_an_injected_environment_the_process_environment_is_read()
    {
        const string name = "ZAKAZ_Qtickets__InitialBackfillDays";
        Environment.SetEnvironmentVariable(name, "12");
        try
        {
            var loaded = ZakazConfiguration.Load<ZakazOptions>(new ConfigurationSources { WorkingDirectory = _dir.Path });

            Assert.Equal(12, loaded.Options.Qtickets.InitialBackfillDays);
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }
}
