using System.Globalization;
using Zakaz.Configuration;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.VkAds;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;

namespace Zakaz.Cli.Commands;

/// <summary>
/// The README's first command: prepares the embedded store, starts the Qtickets sandbox in this
/// process, backfills every order from it over real HTTP and prints what the store now says next
/// to the sandbox's own ground truth. The dashboard issue grows it into the full demo.
/// </summary>
internal static class DemoCommand
{
    public static async Task<int> RunAsync(CliContext context)
    {
        var output = context.Out;
        var orders = checked((int)context.Invocation.Int64("orders", 20_000));
        await output.WriteLineAsync($"Opening the embedded store at {Path.GetFullPath(context.Options.Storage.DataDirectory)} ...");
        await using var store = context.OpenEmbeddedStore();
        var report = await new MigrationRunner(store, MigrationSet.Embedded()).MigrateAsync(line => output.WriteLine("  " + line));

        await output.WriteLineAsync($"Starting the Qtickets sandbox with {orders:N0} generated orders ...");
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = orders });
        // The demo always reads the sandbox, whatever Qtickets account the configuration names.
        var qtickets = context.Options.Qtickets;
        qtickets.BaseUrl = new Uri(sandbox.BaseUrl.ToString());
        qtickets.Token = sandbox.Token;
        Action<string> progress = line => context.Error.WriteLine("  " + line);
        using var client = new QticketsClient(QticketsClientOptions.FromConfiguration(qtickets, progress));
        var result = await new QticketsSync(store, client, qtickets, progress)
            .RunAsync(new QticketsSyncRequest { Since = sandbox.Anchor.AddYears(-3) });
        await output.WriteLineAsync($"Loaded {result.Rows.Sum(r => r.Value):N0} staging row(s) from {sandbox.BaseUrl}; rebuilt {result.RebuiltDates.Count} sale date(s).");

        var summary = await StoreSummary.ReadAsync(store);
        var sales = await store.QueryAsync("""
            SELECT sum(orders), sum(tickets_sold), sum(revenue), uniqExact(event_id), uniqExact(city)
            FROM bi.v_sales_daily
            """);
        var truth = sandbox.Truth;
        var loaded = (Orders: sales.Get<ulong>(0, 0), Tickets: sales.Get<ulong>(0, 1), Revenue: sales.Get<decimal>(0, 2));
        var matches = loaded.Orders == (ulong)truth.Orders && loaded.Tickets == (ulong)truth.TicketsSold && loaded.Revenue == truth.Revenue;
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        await output.WriteLineAsync($"Engine:     chDB {summary.EngineVersion} (embedded, no server)");
        await output.WriteLineAsync($"Migrations: {report.Migrations.Count} applied now, {MigrationSet.Embedded().Migrations.Count} in total");
        await output.WriteLineAsync($"Objects:    {summary.ObjectsLine}");
        await output.WriteLineAsync($"Sales:      {loaded.Orders.ToString("N0", ru)} orders, {loaded.Tickets.ToString("N0", ru)} tickets, {loaded.Revenue.ToString("N2", ru)} ₽ " +
            $"across {sales.Get<ulong>(0, 3)} events in {sales.Get<ulong>(0, 4)} cities");
        await output.WriteLineAsync(matches
            ? "Check:      equals the sandbox's ground truth"
            : $"Check:      DIFFERS from the sandbox's ground truth ({truth.Orders} orders, {truth.TicketsSold} tickets, {truth.Revenue} ₽)");

        await output.WriteLineAsync("Starting the VK Ads sandbox for the same promoter and syncing its spend ...");
        var ads = await LoadVkAdsAsync(store, new VkAdsSandboxOptions { Orders = orders, Anchor = sandbox.Anchor }, truth, progress);
        foreach (var line in ads.Lines)
        {
            await output.WriteLineAsync(line);
        }
        await output.WriteLineAsync("Next:       ./zakaz query \"SELECT d, city, sum(revenue) FROM bi.v_sales_daily GROUP BY d, city ORDER BY d DESC LIMIT 20\"");
        return matches && ads.Matches ? ZakazCli.Ok : ZakazCli.Failure;
    }

    /// <summary>What the VK Ads half of the demo printed, and whether the store agreed with both sandboxes' truth.</summary>
    internal sealed record AdsSummary(IReadOnlyList<string> Lines, bool Matches);

    /// <summary>
    /// Starts the VK Ads sandbox for the promoter <paramref name="options"/> names (the Qtickets sandbox's seed, orders and
    /// anchor), syncs every day it spent into <paramref name="store"/>, and summarises the ROI per city from
    /// bi.v_marketing_roi_daily: spend against the VK Ads truth, revenue against the Qtickets truth.
    /// </summary>
    internal static async Task<AdsSummary> LoadVkAdsAsync(IClickHouseStore store, VkAdsSandboxOptions options, QticketsGroundTruth sales, Action<string> progress)
    {
        await using var sandbox = await VkAdsSandbox.StartAsync(options);
        var (from, to) = sandbox.SpendDays;
        using var client = new VkAdsClient(new VkAdsClientOptions
        {
            BaseUrl = sandbox.BaseUrl,
            ClientId = sandbox.ClientId,
            ClientSecret = sandbox.ClientSecret,
            Log = progress,
        }, new VkAdsTokenTable(store));
        var result = await new VkAdsSync(store, client, new VkAdsOptions(), progress).RunAsync(new VkAdsSyncRequest { From = from, To = to });

        var rows = await store.QueryAsync("""
            SELECT city, sum(spend), sum(revenue), sum(orders)
            FROM bi.v_marketing_roi_daily
            GROUP BY city
            HAVING sum(spend) > 0
            ORDER BY city = 'unknown', sum(spend) DESC
            """);
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        var truth = sandbox.Truth;
        var lines = new List<string>
        {
            $"VK Ads:     {sandbox.CampaignCount} campaigns, {sandbox.BannerCount} banners, {result.Rows[VkAdsTables.Daily].ToString("N0", ru)} banner-days from {from:yyyy-MM-dd} to {to:yyyy-MM-dd}",
            "ROI by city (spend of a day against the sales of that day):",
            $"  {"city",-18}{"spend ₽",16}{"revenue ₽",16}{"ROAS",8}{"ROMI",8}{"CPO ₽",12}",
        };
        var matches = true;
        (decimal Spend, decimal Revenue, ulong Orders) total = default;
        for (var i = 0; i < rows.Rows.Count; i++)
        {
            var city = rows.Get<string>(i, 0);
            var (spend, revenue, orders) = (rows.Get<decimal>(i, 1), rows.Get<decimal>(i, 2), rows.Get<ulong>(i, 3));
            total = (total.Spend + spend, total.Revenue + revenue, total.Orders + orders);
            lines.Add(Line(city, spend, revenue, orders, ru));
            matches &= truth.ByCity.GetValueOrDefault(city).Spend == spend &&
                revenue == (city == "unknown" ? 0 : sales.ByCity.GetValueOrDefault(city)?.Revenue ?? 0);
        }
        matches &= rows.Rows.Count == truth.ByCity.Count(c => c.Value.Spend > 0) && total.Spend == truth.Total.Spend;
        lines.Add(Line("total", total.Spend, total.Revenue, total.Orders, ru));
        lines.Add(matches
            ? "Check:      spend per city equals the VK Ads sandbox's truth (unknown: spend no rule or convention places), revenue the Qtickets sandbox's"
            : $"Check:      DIFFERS from the sandboxes' truth (VK Ads spend {truth.Total.Spend} ₽ by city at {sandbox.TruthUrl})");
        return new AdsSummary(lines, matches);
    }

    /// <summary>Ratios from the summed figures, "—" when the denominator is 0 (the views' NULL).</summary>
    private static string Line(string city, decimal spend, decimal revenue, ulong orders, CultureInfo ru) =>
        $"  {city,-18}{spend.ToString("N2", ru),16}{revenue.ToString("N2", ru),16}" +
        $"{(spend == 0 ? "—" : (revenue / spend).ToString("0.00", ru)),8}{(spend == 0 ? "—" : ((revenue - spend) / spend).ToString("0.00", ru)),8}" +
        $"{(orders == 0 ? "—" : (spend / orders).ToString("N2", ru)),12}";

}
