using System.CommandLine;
using Microsoft.Extensions.Configuration;
using Zakaz.Cli.CommandLine;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sync;
using Zakaz.Pipeline.VkAds;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sandbox.YandexDirect;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;
using Zakaz.Web;
using Zakaz.Web.Scheduling;

namespace Zakaz.Cli.Commands;

/// <summary>
/// The README's first command: prepares the embedded store, starts the Qtickets, VK Ads and Yandex Direct sandboxes
/// in this process, backfills them over real HTTP and prints what the store now says next to the sandboxes'
/// own ground truth; then serves the dashboard on localhost with the scheduler syncing the sandboxes,
/// which keep selling, so the numbers move (<c>--no-serve</c> stops after the summary).
/// </summary>
internal static class DemoCommand
{
    internal static readonly Option<long> Orders = CliOptions.WholeNumber("--orders", "N", "Orders the sandbox generates (default 20,000)", 20_000);
    internal static readonly Option<long> Port = CliOptions.WholeNumber("--port", "P", "Dashboard port on 127.0.0.1 (default 5080)", 5080, 65535);
    internal static readonly Option<bool> NoServe = CliOptions.Flag("--no-serve", "Stop after the load and the summary");

    private const int DemoSalesPerMinute = 3;

    public static async Task<int> RunAsync(CliContext context)
    {
        var output = context.Out;
        var orders = checked((int)context.Get(Orders));
        var serve = !context.Get(NoServe);
        var port = (int)context.Get(Port);
        await output.WriteLineAsync($"Opening the embedded store at {Path.GetFullPath(context.Options.Storage.DataDirectory)} ...");
        await using var store = context.OpenEmbeddedStore();
        var report = await new MigrationRunner(store, MigrationSet.Embedded()).MigrateAsync(new ProgressLines<MigrationProgress>(output, "  "));

        if (await ClearEarlierDemoAsync(store, context.Options.Storage.DataDirectory))
        {
            await output.WriteLineAsync("Cleared the data of the previous demo in this store, so the check below compares like with like.");
        }
        await output.WriteLineAsync($"Starting the Qtickets sandbox with {orders:N0} generated orders ...");
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Orders = orders });
        // The demo always reads the sandbox, whatever Qtickets account the configuration names.
        var settings = WithSettings(context.Configuration.Settings, new()
        {
            ["Qtickets:BaseUrl"] = sandbox.BaseUrl.ToString(),
            ["Qtickets:Token"] = sandbox.Token,
        });
        var qtickets = settings.Get<ZakazOptions>()!.Qtickets;
        var progress = new ProgressLines<SyncProgress>(context.Error, "  ");
        using var client = QticketsSource.Create(QticketsClientOptions.FromConfiguration(qtickets), context.Loggers);
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

        await output.WriteLineAsync("Starting the VK Ads and Yandex Direct sandboxes for the same promoter and syncing their spend ...");
        await using var vkAds = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Orders = orders, Anchor = sandbox.Anchor });
        // Reports are built offline, as Direct builds them, with a short retryIn so the demo does not wait long.
        await using var direct = await YandexDirectSandbox.StartAsync(new YandexDirectSandboxOptions { Orders = orders, Anchor = sandbox.Anchor, RetryInSeconds = [1], OfflinePolls = 1 });
        var ads = await LoadAdsAsync(store, vkAds, direct, truth, progress);
        foreach (var line in ads.Lines)
        {
            await output.WriteLineAsync(line);
        }
        if (!matches || !ads.Matches)
        {
            return ZakazCli.Failure;
        }
        if (!serve)
        {
            await output.WriteLineAsync("Next:       ./zakaz query \"SELECT d, city, sum(revenue) FROM bi.v_sales_daily GROUP BY d, city ORDER BY d DESC LIMIT 20\"");
            return ZakazCli.Ok;
        }

        await ServeSandboxesAsync(context, settings, store, sandbox, vkAds, direct, port);
        return ZakazCli.Ok;
    }

    /// <summary>Marks a store the demo filled; the next demo on it starts from empty tables.</summary>
    private const string DemoMark = "demo-store.txt";

    /// <summary>What a demo neither fills nor may lose: the migration ledger, the seeded city aliases, the store's generated secrets.</summary>
    private static readonly string[] KeptByDemo = ["schema_migrations", "dim_city_alias", "meta_secrets"];

    /// <summary>
    /// Each demo generates its promoter anew (anchored at the current minute, and selling while it serves), so the data
    /// of an earlier demo would make this one's ground-truth check compare two promoters. Only a store a demo filled
    /// (it leaves <see cref="DemoMark"/> beside the data) is cleared; any other keeps what it holds.
    /// </summary>
    private static async Task<bool> ClearEarlierDemoAsync(IClickHouseStore store, string dataDirectory)
    {
        var mark = Path.Combine(dataDirectory, DemoMark);
        var earlier = File.Exists(mark);
        if (earlier)
        {
            var tables = await store.QueryAsync("SELECT name FROM system.tables WHERE database = 'zakaz' AND engine NOT LIKE '%View'");
            foreach (var table in tables.Rows.Select(r => (string)r[0]!).Except(KeptByDemo))
            {
                await store.ExecuteAsync($"TRUNCATE TABLE {StoreIdentifiers.Quote("zakaz." + table)}");
            }
        }
        // A store that held other orders is not the demo's to clear later.
        if (earlier || (await store.QueryAsync("SELECT count() FROM zakaz.stg_qtickets_api_orders_raw")).Get<ulong>(0, 0) == 0)
        {
            await File.WriteAllTextAsync(mark, "This store holds the generated promoter of zakaz demo: the next zakaz demo on it clears its tables first.\n");
        }
        return earlier;
    }

    /// <summary>
    /// The dashboard, open on localhost, with the scheduler syncing both sandboxes more often than
    /// <c>zakaz serve</c>'s defaults while the Qtickets sandbox makes a few sales a minute, until Ctrl+C.
    /// </summary>
    private static async Task ServeSandboxesAsync(
        CliContext context, IConfiguration settings, IClickHouseStore store, QticketsSandbox sales, VkAdsSandbox ads, YandexDirectSandbox direct, int port)
    {
        // Every command checks this claim: nothing else may open the demo's data directory while it serves.
        using var claim = ServeLock.Acquire(context.Options.Storage.DataDirectory);
        ScheduledJob selling = new("sandbox.sales", JobSchedule.Every(TimeSpan.FromMinutes(1)), _ =>
        {
            sales.AddOrders(DemoSalesPerMinute, until: context.Time.GetUtcNow());
            return Task.CompletedTask;
        });
        var dashboard = new DashboardOptions
        {
            Port = port,
            Open = true,
            Qtickets = settings.Get<ZakazOptions>()!.Qtickets,
            Jobs = [selling],
        };
        var sandboxes = WithSettings(settings, new()
        {
            ["VkAds:BaseUrl"] = ads.BaseUrl.ToString(),
            ["VkAds:ClientId"] = ads.ClientId,
            ["VkAds:ClientSecret"] = ads.ClientSecret,
            ["Dashboard:QticketsSyncMinutes"] = "1",
            ["Dashboard:QticketsInventoryMinutes"] = "10",
            ["Dashboard:VkAdsSyncMinutes"] = "10",
            ["YandexDirect:BaseUrl"] = direct.BaseUrl.ToString(),
            ["YandexDirect:Token"] = direct.Token,
            ["Dashboard:YandexDirectSyncMinutes"] = "10",
        });
        await ServeCommand.ServeAsync(context, sandboxes, store, dashboard,
            $"Store:     {store.Location} (embedded); the sandboxes make {DemoSalesPerMinute} sales a minute, synced every minute");
    }

    /// <summary>The configuration with <paramref name="overrides"/> as its highest layer: what the demo points at its sandboxes.</summary>
    private static IConfiguration WithSettings(IConfiguration settings, Dictionary<string, string?> overrides) =>
        new ConfigurationBuilder().AddConfiguration(settings).AddInMemoryCollection(overrides).Build();

    /// <summary>What the ad half of the demo printed, and whether the store agreed with every sandbox's truth.</summary>
    internal sealed record AdsSummary(IReadOnlyList<string> Lines, bool Matches);

    /// <summary>
    /// Syncs every day the VK Ads and Yandex Direct sandboxes (the Qtickets sandbox's promoter: same seed, orders and anchor)
    /// spent into <paramref name="store"/>, and summarises the ROI per city from the bi views: each platform's spend
    /// against its sandbox's truth, revenue against the Qtickets truth.
    /// </summary>
    internal static async Task<AdsSummary> LoadAdsAsync(
        IClickHouseStore store, VkAdsSandbox vkAds, YandexDirectSandbox direct, QticketsGroundTruth sales, IProgress<SyncProgress> progress)
    {
        var ru = CultureInfo.GetCultureInfo("ru-RU");
        var (vkFrom, vkTo) = vkAds.SpendDays;
        using (var client = VkAdsSource.Create(new VkAdsClientOptions { BaseUrl = vkAds.BaseUrl, ClientId = vkAds.ClientId, ClientSecret = vkAds.ClientSecret }, new VkAdsTokenTable(store)))
        {
            await new VkAdsSync(store, client, new VkAdsOptions(), progress).RunAsync(new AdSyncRequest { From = vkFrom, To = vkTo });
        }
        var (directFrom, directTo) = direct.SpendDays;
        using (var client = YandexDirectSource.Create(new YandexDirectClientOptions { BaseUrl = direct.BaseUrl, Token = direct.Token, ReportDays = 92 }))
        {
            await new YandexDirectSync(store, client, new YandexDirectOptions(), progress).RunAsync(new AdSyncRequest { From = directFrom, To = directTo });
        }

        var rows = await store.QueryAsync("""
            SELECT city, sumIf(spend, source = 'vk_ads') AS vk_ads, sumIf(spend, source = 'yandex_direct') AS yandex_direct, sum(spend) AS total_spend,
                   sum(revenue) AS total_revenue, sum(orders) AS total_orders
            FROM
            (
                SELECT city, source, spend, toDecimal64(0, 2) AS revenue, toUInt64(0) AS orders FROM bi.v_ad_spend_daily
                UNION ALL
                SELECT city, '', toDecimal64(0, 2), revenue, orders FROM bi.v_marketing_roi_daily
            )
            GROUP BY city
            HAVING total_spend > 0
            ORDER BY city = 'unknown', total_spend DESC
            """);
        var (vkTruth, directTruth) = (vkAds.Truth, direct.Truth);
        var lines = new List<string>
        {
            $"VK Ads:     {vkAds.CampaignCount} campaigns, {vkAds.BannerCount} banners, spend from {vkFrom:yyyy-MM-dd} to {vkTo:yyyy-MM-dd}",
            $"Direct:     {direct.CampaignCount} campaigns, {direct.AdCount} ads, spend from {directFrom:yyyy-MM-dd} to {directTo:yyyy-MM-dd}",
            "ROI by city, both platforms' spend (spend of a day against the sales of that day):",
            $"  {"city",-18}{"VK Ads ₽",14}{"Direct ₽",14}{"revenue ₽",16}{"ROAS",8}{"ROMI",8}{"CPO ₽",12}",
        };
        var matches = true;
        (decimal Vk, decimal Direct, decimal Revenue, ulong Orders) total = default;
        for (var i = 0; i < rows.Rows.Count; i++)
        {
            var city = rows.Get<string>(i, "city");
            var (vk, yandex, revenue, orders) = (rows.Get<decimal>(i, "vk_ads"), rows.Get<decimal>(i, "yandex_direct"), rows.Get<decimal>(i, "total_revenue"), rows.Get<ulong>(i, "total_orders"));
            total = (total.Vk + vk, total.Direct + yandex, total.Revenue + revenue, total.Orders + orders);
            lines.Add(Line(city, vk, yandex, revenue, orders, ru));
            matches &= vkTruth.ByCity.GetValueOrDefault(city).Spend == vk && directTruth.ByCity.GetValueOrDefault(city).Spend == yandex &&
                revenue == (city == "unknown" ? 0 : sales.ByCity.GetValueOrDefault(city)?.Revenue ?? 0);
        }
        matches &= total.Vk == vkTruth.Total.Spend && total.Direct == directTruth.Total.Spend;
        lines.Add(Line("total", total.Vk, total.Direct, total.Revenue, total.Orders, ru));
        lines.Add(matches
            ? "Check:      spend per city equals the VK Ads and Yandex Direct sandboxes' truth (unknown: spend no rule or convention places), revenue the Qtickets sandbox's"
            : $"Check:      DIFFERS from the sandboxes' truth (VK Ads {vkTruth.Total.Spend} ₽ at {vkAds.TruthUrl}, Direct {directTruth.Total.Spend} ₽ at {direct.TruthUrl})");
        return new AdsSummary(lines, matches);
    }

    /// <summary>Ratios from the summed figures, "—" when the denominator is 0 (the views' NULL).</summary>
    private static string Line(string city, decimal vk, decimal direct, decimal revenue, ulong orders, CultureInfo ru)
    {
        var spend = vk + direct;
        return $"  {city,-18}{vk.ToString("N2", ru),14}{direct.ToString("N2", ru),14}{revenue.ToString("N2", ru),16}" +
            $"{(spend == 0 ? "—" : (revenue / spend).ToString("0.00", ru)),8}{(spend == 0 ? "—" : ((revenue - spend) / spend).ToString("0.00", ru)),8}" +
            $"{(orders == 0 ? "—" : (spend / orders).ToString("N2", ru)),12}";
    }
}
