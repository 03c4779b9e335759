using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.VkAds;

namespace Zakaz.Cli.Tests;

/// <summary>
/// The acceptance as an operator runs it: both sandboxes for one promoter, <c>zakaz sync
/// qtickets</c>, <c>zakaz sync vk-ads</c>, then <c>zakaz report roi --by city</c> equals the
/// sandboxes' ground truth: revenue, orders and tickets per city from Qtickets', spend per city
/// (unmapped spend under <c>unknown</c>) from VK Ads'.
/// </summary>
public class RoiEndToEndTests
{
    private static readonly DateTimeOffset Anchor = new(2025, 4, 1, 9, 0, 0, TimeSpan.FromHours(3));

    [Fact]
    public async Task Report_roi_by_city_equals_both_sandboxes_truth()
    {
        await using var qtickets = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = 2_000, Anchor = Anchor });
        await using var vk = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = 2_000, Anchor = qtickets.Anchor });
        var (from, to) = vk.SpendDays;
        var environment = new Dictionary<string, string?>
        {
            ["QTICKETS_BASE_URL"] = qtickets.BaseUrl.ToString(),
            ["QTICKETS_TOKEN"] = qtickets.Token,
            ["VK_ADS_BASE_URL"] = vk.BaseUrl.ToString(),
            ["VK_ADS_CLIENT_ID"] = vk.ClientId,
            ["VK_ADS_CLIENT_SECRET"] = vk.ClientSecret,
        };
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");

        var sales = await ZakazProcess.RunAsync(["--data", data, "sync", "qtickets", "--since", qtickets.Anchor.AddYears(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)], environment);
        var ads = await ZakazProcess.RunAsync(["--data", data, "sync", "vk-ads",
            "--from", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "--to", to.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)], environment);
        var report = await ZakazProcess.RunAsync("--data", data, "report", "roi", "--by", "city", "--format", "TSV");

        Assert.True(sales.ExitCode == 0, sales.Error);
        Assert.True(ads.ExitCode == 0, ads.Error);
        Assert.Equal(0, report.ExitCode);
        var lines = report.Output.TrimEnd('\n').Split('\n');
        Assert.Equal("city\tspend\trevenue\torders\ttickets\tclicks\troas\tromi\tcpo\tcpt\tcpc", lines[0]);
        var rows = lines[1..].Select(l => l.Split('\t')).ToDictionary(c => c[0],
            c => (Spend: decimal.Parse(c[1], CultureInfo.InvariantCulture), Revenue: decimal.Parse(c[2], CultureInfo.InvariantCulture),
                Orders: int.Parse(c[3], CultureInfo.InvariantCulture), Tickets: int.Parse(c[4], CultureInfo.InvariantCulture)));
        var salesTruth = qtickets.Truth;
        var adsTruth = vk.Truth;
        var expected = salesTruth.ByCity.Keys.Union(adsTruth.ByCity.Where(c => c.Value.Spend != 0).Select(c => c.Key))
            .ToDictionary(city => city, city => (
                Spend: adsTruth.ByCity.GetValueOrDefault(city).Spend,
                Revenue: salesTruth.ByCity.GetValueOrDefault(city)?.Revenue ?? 0,
                Orders: salesTruth.ByCity.GetValueOrDefault(city)?.Orders ?? 0,
                Tickets: salesTruth.ByCity.GetValueOrDefault(city)?.Tickets ?? 0));
        expected["total"] = (adsTruth.Total.Spend, salesTruth.Revenue, salesTruth.Orders, salesTruth.TicketsSold);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), rows.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.True(rows["unknown"].Spend > 0, "the sandbox has spend no rule maps: it must show under unknown");
        Assert.Equal("total", lines[^1].Split('\t')[0]);
    }
}
