using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Cli.Tests;

/// <summary>
/// The acceptance as an operator meets it: <c>zakaz sync qtickets</c>, then a refund of an old order (of an
/// event whose last show ended ten days ago) that no incremental run can see because the API ignores the filters,
/// then <c>zakaz serve</c>, whose scheduled reconcile (ZAKAZ_SCHEDULE_RECONCILE_TIME set a few seconds ahead) brings
/// the facts per sale date to the sandbox's truth.
/// </summary>
public class ReconcileEndToEndTests
{
    private static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    [Fact]
    public async Task The_scheduled_reconcile_inside_serve_brings_a_late_refund_of_an_old_order_to_the_facts()
    {
        // The serving process runs on the real clock, so the promoter's "now" is now.
        var now = DateTimeOffset.UtcNow;
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions
        {
            // Seed 30 has an event whose last show ended about ten days before the anchor.
            Seed = 30,
            Orders = 600,
            Anchor = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMinute)).AddMinutes(-10),
            IgnoreFilters = true,
        });
        var environment = new Dictionary<string, string?>
        {
            ["QTICKETS_BASE_URL"] = sandbox.BaseUrl.ToString(),
            ["QTICKETS_TOKEN"] = sandbox.Token,
            ["ZAKAZ_DASHBOARD_CACHE_SECONDS"] = "0",
        };
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        var sync = await ZakazProcess.RunAsync(["--data", data, "sync", "qtickets", "--since",
            sandbox.Anchor.AddYears(-3).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)], environment);
        Assert.True(sync.ExitCode == 0, sync.Error);
        var (_, eventEnd, orderId, basketId) = sandbox.OldestSoldTicketOfEventEnded(TimeSpan.FromDays(10));
        Assert.InRange((sandbox.Anchor - eventEnd).TotalDays, 7, 13);
        sandbox.RefundBasket(orderId, basketId, DateTimeOffset.UtcNow);
        Assert.NotEqual(SyncCrashTests.Truth(sandbox), await SalesByDayAsync(data));

        var port = ServeCommandTests.FreePort();
        var reconcileAt = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddSeconds(30), Moscow);
        environment["ZAKAZ_SCHEDULE_RECONCILE_TIME"] = reconcileAt.ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        string? reconcile;
        using (var serve = ZakazProcess.Start(["--data", data, "serve", "--open", "--port", port.ToString(CultureInfo.InvariantCulture)], environment))
        {
            using var http = new HttpClient();
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            while ((reconcile = await FinishedReconcileAsync(http, $"http://127.0.0.1:{port}/api/health/runs")) is null)
            {
                Assert.False(serve.HasExited, "zakaz serve ended: " + (serve.HasExited ? (await serve.WaitAsync()).Error : ""));
                Assert.False(deadline.IsCancellationRequested,
                    $"no reconcile finished 3 minutes after serve started; it was due at {reconcileAt:HH:mm:ss} Moscow (serve must have started before that)");
                await Task.Delay(200);
            }
            serve.Kill();
            await serve.WaitAsync();
        }

        Assert.Equal("ok", reconcile);
        Assert.Equal(SyncCrashTests.Truth(sandbox), await SalesByDayAsync(data));
        // Inside serve the incremental run read only the newest orders, and said so.
        Assert.Contains("\"updated_at_filter\":\"ignored\"", await SyncCrashTests.QueryAsync(data,
            "SELECT metrics FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders' ORDER BY started_at DESC, _ver DESC LIMIT 1"));
    }

    /// <summary>The status of the first reconcile run that has finished, as the Data health page lists it; null while there is none.</summary>
    private static async Task<string?> FinishedReconcileAsync(HttpClient http, string url)
    {
        if (!await ServeCommandTests.AnswersAsync(http, url))
        {
            return null;
        }
        using var runs = JsonDocument.Parse(await http.GetStringAsync(url));
        return runs.RootElement.GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("job").GetString()!.StartsWith("qtickets.reconcile", StringComparison.Ordinal))
            .Select(r => r.GetProperty("status").GetString())
            .FirstOrDefault(status => status != "running");
    }

    private static Task<string> SalesByDayAsync(string data) =>
        SyncCrashTests.QueryAsync(data, "SELECT d, sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily GROUP BY d ORDER BY d");
}
