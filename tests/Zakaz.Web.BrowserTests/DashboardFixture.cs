using Microsoft.Playwright;
using Zakaz.Pipeline.Ads;
using Zakaz.Pipeline.Plans;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sheets;
using Zakaz.Pipeline.VkAds;
using Zakaz.Pipeline.YandexDirect;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sandbox.VkAds;
using Zakaz.Sandbox.YandexDirect;
using Zakaz.Sources.Qtickets;
using Zakaz.Sources.VkAds;
using Zakaz.Sources.YandexDirect;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Web.BrowserTests;

/// <summary>
/// One dashboard for the whole browser suite: the real schema in the shared embedded store, loaded from
/// the Qtickets, VK Ads and Yandex Direct sandboxes over HTTP by the real syncs and given a plan by the real import, served
/// open on a free port by <see cref="ZakazWebApp"/>, and Debian's Chromium driven by Playwright (never a
/// downloaded browser).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string CollectionName = "dashboard";
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly string[] ChromiumArgs =
    [
        "--headless", "--no-sandbox", "--disable-background-networking", "--disable-gpu", "--no-first-run",
        "--disable-component-update", "--disable-sync",
    ];

    private readonly ZakazSchemaFixture _schema = new();
    private IPlaywright? _playwright;

    public IClickHouseStore Store => _schema.Store;

    public ZakazWebApp App { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>Where the screenshots go: TestResults/screenshots next to the test project's output.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        // A missing browser is a failure, never a skip (CI installs it with scripts/install-test-deps.sh).
        if (!File.Exists(ChromiumPath))
        {
            throw new InvalidOperationException(
                $"Chromium is missing at {ChromiumPath}: run scripts/install-test-deps.sh (apt package 'chromium').");
        }

        await _schema.InitializeAsync();
        await _schema.ResetDataAsync();
        await LoadSandboxesAsync(Store);
        await MisdirectACampaignAsync(Store);
        await ImportPlanAsync(Store);
        App = await ZakazWebApp.StartAsync(Store, new DashboardOptions { Port = 0, Open = true });

        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ChromiumArgs,
        });
        Directory.CreateDirectory(ScreenshotFolder);
    }

    public async Task DisposeAsync()
    {
        if (_playwright is not null)
        {
            await Browser.DisposeAsync();
            _playwright.Dispose();
        }

        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }

    /// <summary>
    /// Backfills the sandboxes over HTTP with the real syncs: a few thousand Qtickets orders and the VK Ads and Yandex
    /// Direct accounts that advertise the same promoter (same seed, orders and anchor, so spend meets sales). The anchor
    /// is now, so the default 30 days hold sales and spend.
    /// </summary>
    private static async Task LoadSandboxesAsync(IClickHouseStore store)
    {
        const int Seed = 3, Orders = 4_000;
        var anchor = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        await using (var qtickets = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Seed = Seed, Orders = Orders, Anchor = anchor }))
        {
            var options = new QticketsOptions { BaseUrl = qtickets.BaseUrl, Token = qtickets.Token };
            using var client = QticketsSource.Create(QticketsClientOptions.FromConfiguration(options));
            await new QticketsSync(store, client, options).RunAsync(new QticketsSyncRequest { Since = qtickets.Anchor.AddYears(-3) });
        }

        await using (var vkAds = await VkAdsSandbox.StartAsync(new VkAdsSandboxOptions { Seed = Seed, Orders = Orders, Anchor = anchor }))
        {
            using var client = VkAdsSource.Create(
                new VkAdsClientOptions { BaseUrl = vkAds.BaseUrl, ClientId = vkAds.ClientId, ClientSecret = vkAds.ClientSecret },
                new VkAdsTokenTable(store));
            await new VkAdsSync(store, client, new VkAdsOptions())
                .RunAsync(new AdSyncRequest { From = vkAds.SpendDays.From, To = vkAds.SpendDays.To });
        }

        await using (var direct = await YandexDirectSandbox.StartAsync(new YandexDirectSandboxOptions { Seed = Seed, Orders = Orders, Anchor = anchor, RetryInSeconds = [1], OfflinePolls = 1 }))
        {
            using var client = YandexDirectSource.Create(new YandexDirectClientOptions { BaseUrl = direct.BaseUrl, Token = direct.Token, ReportDays = 92 });
            await new YandexDirectSync(store, client, new YandexDirectOptions())
                .RunAsync(new AdSyncRequest { From = direct.SpendDays.From, To = direct.SpendDays.To });
        }
    }

    /// <summary>
    /// A campaign that loses money in a city that does well, as a mapping rule makes one: the real rules import
    /// sends the ads of a campaign from another city to the city with the best ROAS on attributed revenue, where no
    /// order carries its UTM. That city stays above ROAS 1.5 while the campaign in it is below 1, the case the
    /// campaign light must show (the sandboxes alone do not make it).
    /// </summary>
    private static async Task MisdirectACampaignAsync(IClickHouseStore store)
    {
        var to = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(3)).AddDays(-1);
        var range = new QueryParameters().Add("from", to.AddDays(-29)).Add("to", to);
        var best = await store.QueryAsync("""
            SELECT city, sum(spend) AS spend, sumIf(revenue, source != '') AS attributed
            FROM bi.v_marketing_source_daily_mart
            WHERE d BETWEEN {from:Date} AND {to:Date} AND city != 'unknown'
            GROUP BY city HAVING spend > 0
            ORDER BY attributed / spend DESC LIMIT 1
            """, range);
        var (city, spend, attributed) = (best.Get<string>(0, "city"), best.Get<decimal>(0, "spend"), best.Get<decimal>(0, "attributed"));
        // The smallest campaign elsewhere whose spend keeps the city above 1.6.
        var campaign = await store.QueryAsync("""
            SELECT source, utm_campaign, sum(spend) AS spend
            FROM bi.v_ad_spend_daily
            WHERE d BETWEEN {from:Date} AND {to:Date} AND city != {city:String} AND utm_campaign != ''
              AND utm_campaign NOT IN (SELECT campaign FROM bi.v_campaign_daily_mart WHERE city = {city:String})
            GROUP BY source, utm_campaign
            HAVING spend > 0 AND {attributed:Decimal(18, 2)} / ({spend:Decimal(18, 2)} + spend) > 1.6
            ORDER BY spend LIMIT 1
            """, range.Add("city", city).Add("attributed", attributed).Add("spend", spend));
        var values = new List<IReadOnlyList<string>>
        {
            new[] { "match_kind", "pattern", "city", "event_id", "priority", "active", "note", "source" },
            new[] { "utm_campaign", campaign.Get<string>(0, "utm_campaign"), city, "0", "1", "true", "browser tests: a misdirected campaign", campaign.Get<string>(0, "source") },
        };
        var rules = new CampaignRules(store);
        await rules.ImportAsync(SheetTable.FromValues("browser-test rules", values));
        await rules.ApplyAsync();
    }

    /// <summary>A plan through the real import: 20 % more tickets and 15 % more revenue than each event sold per day.</summary>
    private static async Task ImportPlanAsync(IClickHouseStore store)
    {
        var sales = await store.QueryAsync("""
            SELECT toString(d), toString(event_id), city, toString(toUInt64(ceil(tickets_sold * 1.2))), toString(round(toFloat64(revenue) * 1.15, 2))
            FROM bi.v_sales_daily ORDER BY d, event_id
            """);
        var values = new List<IReadOnlyList<string>> { new[] { "sales_date", "event_id", "city", "plan_tickets", "plan_revenue" } };
        values.AddRange(sales.Rows.Select(row => row.Select(cell => Convert.ToString(cell, CultureInfo.InvariantCulture) ?? "").ToArray()));
        await new PlanImport(store).RunAsync(SheetTable.FromValues("browser-test plan", values));
    }
}

[CollectionDefinition(DashboardFixture.CollectionName)]
public sealed class DashboardCollection : ICollectionFixture<DashboardFixture>;
