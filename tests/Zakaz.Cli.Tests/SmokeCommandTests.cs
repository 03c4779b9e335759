namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz db smoke</c> through the real CLI on the embedded store.</summary>
public class SmokeCommandTests
{
    [Fact]
    public async Task A_fresh_migrated_store_passes_with_every_check_ok_or_without_data()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var smoke = await ZakazProcess.RunAsync("--data", data, "db", "smoke");

        Assert.Equal((0, ""), (smoke.ExitCode, smoke.Error));
        var lines = smoke.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^check\s+value\s+threshold\s+status\s+detail$", lines[0]);
        Assert.Matches(@"^duplicate_keys\s+0 keys\s+0\s+ok\s+30 versioned tables hold each key once$", lines[1]);
        Assert.Matches(@"^freshness_qtickets\s+-\s+<= 360 min, last run ok\s+no_data\s+never loaded$", lines[6]);
        Assert.Equal("All 8 checks passed (6 with no data yet).", lines[^1]);
    }

    [Fact]
    public async Task Json_output_is_an_array_of_checks()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var smoke = await ZakazProcess.RunAsync("--data", data, "db", "smoke", "--json");

        Assert.Equal(0, smoke.ExitCode);
        using var json = JsonDocument.Parse(smoke.Output);
        var checks = json.RootElement.EnumerateArray().ToArray();
        Assert.Equal(8, checks.Length);
        Assert.All(checks, c => Assert.Equal(["check", "value", "unit", "threshold", "status", "detail"], c.EnumerateObject().Select(p => p.Name)));
        Assert.All(checks, c => Assert.Contains(c.GetProperty("status").GetString(), new[] { "ok", "no_data" }));
        Assert.Equal("<= 20 %", checks.Single(c => c.GetProperty("check").GetString() == "spend_without_city").GetProperty("threshold").GetString());
    }

    [Fact]
    public async Task A_failed_check_exits_1_and_says_what_failed()
    {
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        await ZakazProcess.RunAsync("--data", data, "query",
            "INSERT INTO zakaz.stg_vk_ads_daily (stat_date, banner_id, spend, city, _ver) VALUES ('2025-03-01', 1, -12.5, 'томск', 1)");

        var smoke = await ZakazProcess.RunAsync("--data", data, "db", "smoke");

        Assert.Equal(1, smoke.ExitCode);
        Assert.Matches(@"\nnegative_values\s+1 rows\s+0\s+fail\s+negative: stg_vk_ads_daily.spend: 1\n", smoke.Output);
        Assert.EndsWith("checks failed.\n", smoke.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_with_pending_migrations_is_refused_with_the_fix()
    {
        var smoke = await ZakazProcess.RunAsync("--data", ZakazProcess.NewDataDirectory(), "db", "smoke");

        Assert.Equal(1, smoke.ExitCode);
        Assert.EndsWith("pending migration(s): run 'zakaz db migrate' before checking its data.", Assert.Single(smoke.ErrorLines), StringComparison.Ordinal);
    }
}
