using Zakaz.Sandbox.Qtickets;

namespace Zakaz.Cli.Tests;

/// <summary>
/// The promise: killing <c>zakaz sync qtickets</c> midway and running it again gives the same
/// totals as a run that was never interrupted. The sandbox answers slowly enough that the kill lands
/// while the run is still working.
/// </summary>
public class SyncCrashTests
{
    private static readonly DateTimeOffset Anchor = new(2025, 12, 1, 12, 0, 0, TimeSpan.FromHours(3));

    [Theory]
    // Ten of about sixty order pages read: nothing written yet but the running row.
    [InlineData("orders", 10, 0)]
    // Promo codes are the last request before the writes; 400 ms after it the run is writing staging on
    // this project's machines (tickets partly stored, no orders yet), well before it records its end.
    [InlineData("promo-codes", 1, 400)]
    public async Task A_sync_killed_midway_and_run_again_equals_the_ground_truth(string route, int requests, int thenWaitMs)
    {
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions
        {
            Seed = 11,
            Orders = 3000,
            Anchor = Anchor,
            Latency = TimeSpan.FromMilliseconds(50),
        });
        var data = ZakazProcess.NewDataDirectory();
        await ZakazProcess.RunAsync("--data", data, "db", "migrate");
        string[] sync = ["--data", data, "sync", "qtickets", "--since", "2022-01-01"];
        var environment = new Dictionary<string, string?>
        {
            ["QTICKETS_TOKEN"] = sandbox.Token,
            ["QTICKETS_BASE_URL"] = sandbox.BaseUrl.ToString(),
        };

        int killedPid;
        using (var killed = ZakazProcess.Start(sync, environment))
        {
            killedPid = killed.Id;
            using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            while (sandbox.Faults.RequestCount(route) < requests)
            {
                Assert.False(killed.HasExited, "The sync ended before it could be killed.");
                await Task.Delay(10, deadline.Token);
            }
            await Task.Delay(thenWaitMs, deadline.Token);
            Assert.False(killed.HasExited, "The sync ended before it could be killed.");
            killed.Kill();
            await killed.WaitAsync(deadline.Token);
        }
        var rerun = await ZakazProcess.RunAsync(sync, environment);

        Assert.Equal(0, rerun.ExitCode);
        Assert.Equal(Truth(sandbox), await QueryAsync(data,
            "SELECT d, sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily GROUP BY d ORDER BY d"));
        // The rerun found the killed run's process gone and marked its row: it no longer claims to be running.
        Assert.Equal("error\tinterrupted\t1\nok\t\t0\n", await QueryAsync(data,
            $"SELECT status, message, pid = {killedPid} FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders' ORDER BY started_at, status = 'ok'"));
        Assert.Equal("1\t1\n", await QueryAsync(data, """
            SELECT
                (SELECT count() FROM zakaz.stg_qtickets_api_orders_raw FINAL) = (SELECT uniqExact(order_id) FROM zakaz.stg_qtickets_api_orders_raw),
                (SELECT count() FROM zakaz.stg_qtickets_api_tickets_raw FINAL) = (SELECT uniqExact(order_id, basket_id) FROM zakaz.stg_qtickets_api_tickets_raw)
            """));
    }

    internal static async Task<string> QueryAsync(string data, string sql)
    {
        var run = await ZakazProcess.RunAsync("--data", data, "query", sql, "--format", "TSV");
        Assert.True(run.ExitCode == 0, run.Error);
        return run.Output;
    }

    /// <summary>Tickets and revenue per sale date as the sandbox's truth gives them, in the shape of a TSV query of bi.v_sales_daily.</summary>
    internal static string Truth(QticketsSandbox sandbox) => string.Concat(sandbox.Truth.BySaleDate
        .Where(d => d.Value.Tickets > 0)
        .OrderBy(d => d.Key)
        .Select(d => string.Create(CultureInfo.InvariantCulture, $"{d.Key:yyyy-MM-dd}\t{d.Value.Tickets}\t{d.Value.Revenue:0.00}\n")));
}
