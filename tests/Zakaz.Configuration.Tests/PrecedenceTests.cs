namespace Zakaz.Configuration.Tests;

public sealed class PrecedenceTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Nothing_configured_gives_the_defaults()
    {
        var loaded = _dir.Load();

        Assert.Equal("./zakaz-data", loaded.Options.Storage.DataDirectory);
        Assert.Null(loaded.Options.Storage.Url);
        Assert.Equal(new Uri("https://qtickets.ru/api/rest/v1"), loaded.Options.Qtickets.BaseUrl);
        Assert.Equal(30, loaded.Options.Qtickets.InitialBackfillDays);
        Assert.Equal(new Uri("https://ads.vk.com"), loaded.Options.VkAds.BaseUrl);
        Assert.False(loaded.Options.Verbose);
        Assert.All(loaded.Entries, e => Assert.Equal(ConfigurationLayer.Default, e.Layer));
        Assert.Empty(loaded.Warnings);
    }

    [Fact]
    public void Environment_overrides_appsettings()
    {
        _dir.Write("appsettings.json", """{"Storage": {"DataDirectory": "/json"}}""");

        var loaded = _dir.Load(environment: new() { ["ZAKAZ_DATA_DIR"] = "/env" });

        Assert.Equal("/env", loaded.Options.Storage.DataDirectory);
        Assert.Equal(ConfigurationLayer.Environment, Entry(loaded, "Storage:DataDirectory").Layer);
    }

    [Fact]
    public void Env_file_overrides_environment()
    {
        var envFile = _dir.Write("prod.env", "ZAKAZ_DATA_DIR=/file\n");

        var loaded = _dir.Load(environment: new() { ["ZAKAZ_DATA_DIR"] = "/env" }, envFile: envFile);

        Assert.Equal("/file", loaded.Options.Storage.DataDirectory);
        Assert.Equal(ConfigurationLayer.EnvFile, Entry(loaded, "Storage:DataDirectory").Layer);
    }

    [Fact]
    public void Flags_override_the_env_file()
    {
        _dir.Write("prod.env", "ZAKAZ_DATA_DIR=/file\nCLICKHOUSE_URL=http://file:8123/db\n");

        var loaded = _dir.Load(
            envFile: "prod.env",
            flags: new() { ["--data"] = "/flag", ["--clickhouse"] = "http://flag:8123/db" });

        Assert.Equal("/flag", loaded.Options.Storage.DataDirectory);
        Assert.Equal("http://flag:8123/db", loaded.Options.Storage.Url);
        Assert.Equal(ConfigurationLayer.CommandLine, Entry(loaded, "Storage:Url").Layer);
    }

    [Fact]
    public void Flags_override_appsettings_and_environment()
    {
        _dir.Write("appsettings.json", """{"Verbose": false, "Storage": {"DataDirectory": "/json"}}""");

        var loaded = _dir.Load(
            environment: new() { ["ZAKAZ_VERBOSE"] = "no", ["ZAKAZ_DATA_DIR"] = "/env" },
            flags: new() { ["--verbose"] = null, ["data"] = "/flag" });

        Assert.True(loaded.Options.Verbose);
        Assert.Equal("/flag", loaded.Options.Storage.DataDirectory);
    }

    [Fact]
    public void Env_file_overrides_appsettings()
    {
        _dir.Write("appsettings.json", """{"Qtickets": {"InitialBackfillDays": 7}}""");
        _dir.Write(".env", "QTICKETS_INITIAL_BACKFILL_DAYS=90");

        var loaded = _dir.Load(envFile: ".env");

        Assert.Equal(90, loaded.Options.Qtickets.InitialBackfillDays);
    }

    [Fact]
    public void Layers_override_key_by_key_not_section_by_section()
    {
        _dir.Write("appsettings.json", """
            {
              // Comments and trailing commas are fine in a hand-edited file.
              "Storage": {"Host": "json-host", "Port": 9000, "Database": "json_db",},
            }
            """);

        var loaded = _dir.Load(environment: new() { ["CLICKHOUSE_PORT"] = "8124" });

        Assert.Equal("json-host", loaded.Options.Storage.Host);
        Assert.Equal(8124, loaded.Options.Storage.Port);
        Assert.Equal("json_db", loaded.Options.Storage.Database);
    }

    [Fact]
    public void Appsettings_keys_are_case_insensitive()
    {
        _dir.Write("appsettings.json", """{"storage": {"datadirectory": "/lower"}, "VKADS": {"CLIENTID": "42"}}""");

        var loaded = _dir.Load();

        Assert.Equal("/lower", loaded.Options.Storage.DataDirectory);
        Assert.Equal("42", loaded.Options.VkAds.ClientId);
        Assert.Equal("storage:datadirectory", Entry(loaded, "Storage:DataDirectory").Name);
    }

    [Fact]
    public void An_explicit_settings_file_overrides_the_working_directory_one()
    {
        _dir.Write("appsettings.json", """{"Storage": {"DataDirectory": "/implicit", "User": "implicit-user"}}""");
        _dir.Write("prod.json", """{"Storage": {"DataDirectory": "/explicit"}}""");

        var loaded = _dir.Load(appSettingsFiles: "prod.json");

        Assert.Equal("/explicit", loaded.Options.Storage.DataDirectory);
        Assert.Equal("implicit-user", loaded.Options.Storage.User);
        Assert.Equal("prod.json", Entry(loaded, "Storage:DataDirectory").Source);
        Assert.Equal("appsettings.json", Entry(loaded, "Storage:User").Source);
    }

    [Fact]
    public void A_missing_explicit_settings_file_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(appSettingsFiles: "nope.json"));

        Assert.Equal("settings file 'nope.json' not found", error.Message);
    }

    [Fact]
    public void Broken_json_names_the_file()
    {
        _dir.Write("appsettings.json", """{"Storage": {""");

        var error = Assert.Throws<ConfigurationException>(() => _dir.Load());

        Assert.StartsWith("appsettings.json is not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_env_file_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(envFile: "missing.env"));

        Assert.Equal("env file 'missing.env' not found (--env-file)", error.Message);
    }

    [Fact]
    public void Unknown_settings_warn_instead_of_failing()
    {
        _dir.Write("appsettings.json", """{"Storage": {"DataDir": "/typo"}}""");
        _dir.Write(".env", "# shared with docker compose\nPOSTGRES_DB=x\n");

        var loaded = _dir.Load(envFile: ".env", environment: new() { ["ZAKAZ_Storage__Nope"] = "1", ["PATH"] = "/bin" });

        Assert.Equal(
            [
                "appsettings.json: unknown setting 'Storage:DataDir' (ignored)",
                "ZAKAZ_Storage__Nope (environment): no setting 'Storage:Nope' (ignored)",
                ".env:2: unknown variable POSTGRES_DB (ignored)",
            ],
            loaded.Warnings);
    }

    [Fact]
    public void Unknown_flags_are_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(flags: new() { ["--colour"] = "yes" }));

        Assert.Equal("unknown option --colour", error.Message);
    }

    [Fact]
    public void A_value_flag_without_a_value_is_an_error()
    {
        var error = Assert.Throws<ConfigurationException>(() => _dir.Load(flags: new() { ["--data"] = null }));

        Assert.Equal("--data needs a value", error.Message);
    }

    [Fact]
    public void Hierarchical_environment_names_bind_and_the_documented_name_wins()
    {
        var loaded = _dir.Load(environment: new()
        {
            ["ZAKAZ_Qtickets__InitialBackfillDays"] = "5",
            ["ZAKAZ_Storage__DataDirectory"] = "/hierarchical",
            ["ZAKAZ_DATA_DIR"] = "/documented",
        });

        Assert.Equal(5, loaded.Options.Qtickets.InitialBackfillDays);
        Assert.Equal("/documented", loaded.Options.Storage.DataDirectory);
    }

    [Fact]
    public void Empty_values_do_not_wipe_a_lower_layer()
    {
        _dir.Write("appsettings.json", """{"Storage": {"Url": "http://json:8123/db"}}""");
        _dir.Write(".env", "CLICKHOUSE_URL=\n");

        var loaded = _dir.Load(environment: new() { ["CLICKHOUSE_URL"] = "" }, envFile: ".env");

        Assert.Equal("http://json:8123/db", loaded.Options.Storage.Url);
    }

    [Fact]
    public void Url_and_host_together_keep_both_and_warn_that_the_url_wins()
    {
        var loaded = _dir.Load(
            environment: new() { ["CLICKHOUSE_HOST"] = "seed-host" },
            flags: new() { ["--clickhouse"] = "http://u@url-host:8123/zakaz" });

        Assert.Equal("http://u@url-host:8123/zakaz", loaded.Options.Storage.Url);
        Assert.Equal(
            "CLICKHOUSE_HOST (environment) is ignored: --clickhouse (command line) is set and the URL wins",
            Assert.Single(loaded.Warnings));
    }

    private static ConfigurationEntry Entry(LoadedConfiguration loaded, string key) =>
        loaded.Entries.Single(e => e.Key == key);
}
