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
