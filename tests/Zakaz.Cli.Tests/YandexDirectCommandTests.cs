using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sandbox.YandexDirect;

namespace Zakaz.Cli.Tests;

/// <summary><c>zakaz sync yandex-direct</c> and the ROI of both ad platforms as an operator runs them, against the sandboxes of one promoter.</summary>
public class YandexDirectCommandTests
{
    private static readonly DateTimeOffset Anchor = new(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(3));

    [Fact]
    public async Task A_sync_loads_the_sandbox_spend_per_source_and_a_second_run_changes_nothing()
    {
        await using var direct = await YandexDirectSandbox.StartAsync(Promoter());
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        var (from, to) = Days(direct.SpendDays);

        var first = await ZakazProcess.RunAsync(["--data", data, "sync", "yandex-direct", "--from", from, "--to", to], Environment(direct));
        var bySource = await BySourceAsync(data);
        var views = await ViewsAsync(data);
        var second = await ZakazProcess.RunAsync(["--data", data, "sync", "yandex-direct", "--from", from, "--to", to], Environment(direct));
        var runs = await ZakazProcess.RunAsync("--data", data, "query", "SELECT job, status FROM zakaz.meta_job_runs FINAL ORDER BY started_at, _ver", "--format", "TSV");

        Assert.True(first.ExitCode == 0, first.Error);
        Assert.True(second.ExitCode == 0, second.Error);
        Assert.Contains("zakaz.stg_yandex_direct_daily: wrote", first.Output, StringComparison.Ordinal);
        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"yandex_direct\t{direct.Truth.Total.Spend:0.00}\n"), bySource);
        Assert.Equal(views, await ViewsAsync(data));
        Assert.Equal("yandex_direct.daily\tok\nyandex_direct.daily\tok\n", runs.Output);
    }

    [Fact]
    public async Task An_invalid_token_is_one_line_exit_1_and_an_error_row()
    {
        await using var direct = await YandexDirectSandbox.StartAsync(Promoter());
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        var environment = Environment(direct);
        environment["YANDEX_DIRECT_TOKEN"] = "revoked-token";

        var sync = await ZakazProcess.RunAsync(["--data", data, "sync", "yandex-direct"], environment);
        var runs = await ZakazProcess.RunAsync("--data", data, "query",
            "SELECT status FROM zakaz.meta_job_runs FINAL WHERE job = 'yandex_direct.daily'", "--format", "TSV");

        Assert.Equal(1, sync.ExitCode);
        var line = Assert.Single(sync.ErrorLines, l => l.StartsWith("zakaz:", StringComparison.Ordinal));
        Assert.Contains("YANDEX_DIRECT_TOKEN", line, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked-token", sync.Error + sync.Output, StringComparison.Ordinal);
        Assert.Equal("error\n", runs.Output);
    }

    [Fact]
    public async Task Report_roi_by_city_counts_both_platforms_spend_and_equals_the_three_sandboxes_truth()
    {
        await using var qtickets = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = 2_000, Anchor = Anchor });
        await using var vk = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = 2_000, Anchor = qtickets.Anchor });
        await using var direct = await YandexDirectSandbox.StartAsync(Promoter() with { Anchor = qtickets.Anchor });
        var environment = Environment(direct);
        environment["QTICKETS_BASE_URL"] = qtickets.BaseUrl.ToString();
        environment["QTICKETS_TOKEN"] = qtickets.Token;
        environment["VK_ADS_BASE_URL"] = vk.BaseUrl.ToString();
        environment["VK_ADS_CLIENT_ID"] = vk.ClientId;
        environment["VK_ADS_CLIENT_SECRET"] = vk.ClientSecret;
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var sales = await ZakazProcess.RunAsync(["--data", data, "sync", "qtickets", "--since", qtickets.Anchor.AddYears(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)], environment);
        var (vkFrom, vkTo) = Days(vk.SpendDays);
        var vkSync = await ZakazProcess.RunAsync(["--data", data, "sync", "vk-ads", "--from", vkFrom, "--to", vkTo], environment);
        var (directFrom, directTo) = Days(direct.SpendDays);
        var directSync = await ZakazProcess.RunAsync(["--data", data, "sync", "yandex-direct", "--from", directFrom, "--to", directTo], environment);
        var byCity = await ZakazProcess.RunAsync("--data", data, "report", "roi", "--by", "city", "--format", "TSV");
        var bySource = await ZakazProcess.RunAsync("--data", data, "report", "roi", "--by", "source", "--format", "TSV");
        var directCities = await ZakazProcess.RunAsync("--data", data, "report", "roi", "--by", "city", "--source", "yandex_direct", "--format", "TSV");

        Assert.True(sales.ExitCode == 0, sales.Error);
        Assert.True(vkSync.ExitCode == 0, vkSync.Error);
        Assert.True(directSync.ExitCode == 0, directSync.Error);
        var (salesTruth, vkTruth, directTruth) = (qtickets.Truth, vk.Truth, direct.Truth);
        var cities = Table(byCity);
        var expected = salesTruth.ByCity.Keys
            .Union(vkTruth.ByCity.Where(c => c.Value.Spend != 0).Select(c => c.Key))
            .Union(directTruth.ByCity.Where(c => c.Value.Spend != 0).Select(c => c.Key))
            .ToDictionary(city => city, city => (
                Spend: vkTruth.ByCity.GetValueOrDefault(city).Spend + directTruth.ByCity.GetValueOrDefault(city).Spend,
                Revenue: salesTruth.ByCity.GetValueOrDefault(city)?.Revenue ?? 0));
        expected["total"] = (vkTruth.Total.Spend + directTruth.Total.Spend, salesTruth.Revenue);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), cities.ToDictionary(r => r.Key, r => (r.Value[0], r.Value[1])).OrderBy(p => p.Key, StringComparer.Ordinal));

        var sources = Table(bySource);
        Assert.Equal(vkTruth.Total.Spend, sources["vk_ads"][0]);
        Assert.Equal(directTruth.Total.Spend, sources["yandex_direct"][0]);
        Assert.Equal(0m, sources["(no ad platform)"][0]);
        Assert.Equal(salesTruth.Revenue, sources["total"][1]);
        Assert.Equal(salesTruth.ByUtmSource.Where(p => p.Key == "yandex").Sum(p => p.Value.Revenue), sources["yandex_direct"][1]);

        var directOnly = Table(directCities);
        Assert.Equal(directTruth.ByCity.Where(c => c.Value.Spend != 0).ToDictionary(c => c.Key, c => c.Value.Spend).OrderBy(p => p.Key, StringComparer.Ordinal),
            directOnly.Where(r => r.Key != "total" && r.Value[0] != 0).ToDictionary(r => r.Key, r => r.Value[0]).OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    /// <summary>The generated promoter's Direct account, its reports built offline (queued, then ready a second later).</summary>
    private static YandexDirectSandboxOptions Promoter() => new() { Orders = 2_000, Anchor = Anchor, RetryInSeconds = [1], OfflinePolls = 1 };

    private static Dictionary<string, string?> Environment(YandexDirectSandbox direct) => new()
    {
        ["YANDEX_DIRECT_BASE_URL"] = direct.BaseUrl.ToString(),
        ["YANDEX_DIRECT_TOKEN"] = direct.Token,
    };

    private static (string From, string To) Days((DateOnly From, DateOnly To) days) =>
        (days.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), days.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));

    private static async Task<string> BySourceAsync(string data) => (await ZakazProcess.RunAsync("--data", data, "query",
        "SELECT source, toDecimalString(sum(spend), 2) FROM bi.v_ad_spend_daily GROUP BY source ORDER BY source", "--format", "TSV")).Output;

    private static async Task<string> ViewsAsync(string data) => (await ZakazProcess.RunAsync("--data", data, "query", """
        SELECT * FROM
        (
            SELECT 'spend', d, source, city, event_id, campaign_id, utm_source, utm_campaign, impressions, clicks, spend FROM bi.v_ad_spend_daily
            UNION ALL
            SELECT 'roi', d, '', city, 0, 0, '', '', impressions, clicks, spend FROM bi.v_marketing_roi_daily
        )
        ORDER BY ALL
        """, "--format", "TSV")).Output;

    /// <summary>The report's rows by their first column: spend and revenue (its second and third columns).</summary>
    private static Dictionary<string, decimal[]> Table(ZakazRun report)
    {
        Assert.True(report.ExitCode == 0, report.Error);
        var lines = report.Output.TrimEnd('\n').Split('\n');
        Assert.Equal("spend\trevenue", string.Join('\t', lines[0].Split('\t')[1..3]));
        return lines[1..].Select(l => l.Split('\t')).ToDictionary(c => c[0],
            c => new[] { decimal.Parse(c[1], CultureInfo.InvariantCulture), decimal.Parse(c[2], CultureInfo.InvariantCulture) });
    }
}
