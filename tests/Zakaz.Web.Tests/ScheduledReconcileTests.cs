using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sync;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Testing;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>
/// The jobs <c>zakaz serve</c> schedules, on a fake clock, against the Qtickets sandbox: a late refund of an old order,
/// which no incremental run can see when the API ignores the filters, reaches the facts at the next reconcile time.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class ScheduledReconcileTests(ZakazSchemaFixture schema)
{
    private static readonly TimeSpan Msk = TimeSpan.FromHours(3);

    [Theory]
    // A Tuesday: the nightly reconcile of recent events' orders.
    [InlineData("2025-12-02", QticketsSync.ReconcileJob)]
    // A Sunday: the weekly reconcile of every order.
    [InlineData("2025-11-30", QticketsSync.FullReconcileJob)]
    public async Task The_reconcile_at_four_in_the_morning_Moscow_brings_every_fact_to_the_sandbox_truth(string day, string expectedJob)
    {
        await schema.ResetDataAsync();
        var anchor = new DateTimeOffset(DateOnly.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture).ToDateTime(new TimeOnly(3, 0)), Msk);
        // Seed 30 has an event whose last show ended about ten days before the anchor.
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Seed = 30, Orders = 600, Anchor = anchor, IgnoreFilters = true });
        using var client = QticketsSource.Create(new QticketsClientOptions { BaseUrl = sandbox.BaseUrl, Token = sandbox.Token });
        var options = new ZakazOptions();
        options.Qtickets.BuyerKeySecret = "a test buyer key secret of enough bytes";
        var time = new FakeTimeProvider(anchor);
        await new QticketsSync(schema.Store, client, options.Qtickets, time: time).RunAsync(new QticketsSyncRequest { Since = anchor.AddYears(-3) });
        var (_, eventEnd, orderId, basketId) = sandbox.OldestSoldTicketOfEventEnded(TimeSpan.FromDays(10));
        Assert.InRange((anchor - eventEnd).TotalDays, 7, 13);
        sandbox.RefundBasket(orderId, basketId, anchor.AddMinutes(10));
        time.Advance(TimeSpan.FromMinutes(30));

        var (jobs, _) = ServeJobs.For(schema.Store, options, client, null, new ProgressLines<SyncProgress>(TextWriter.Null), time);
        using var scheduler = new JobScheduler(jobs, time: time);
        await using var running = await scheduler.StartedAsync();
        // The incremental run at start reads the newest orders only: the API ignores where and orderBy.
        await WaitForAsync($"SELECT count() FROM zakaz.meta_job_runs FINAL WHERE job = '{QticketsSync.Job}' AND status = 'ok'", "1");
        Assert.NotEqual(Truth(sandbox), await SalesByDayAsync());
        Assert.Contains("\"updated_at_filter\":\"ignored\"", await TextAsync($"SELECT metrics FROM zakaz.meta_job_runs FINAL WHERE job = '{QticketsSync.Job}'"));
        Assert.Equal("0", await TextAsync("SELECT count() FROM zakaz.meta_job_runs FINAL WHERE job LIKE 'qtickets.reconcile%'"));

        time.Advance(TimeSpan.FromMinutes(30));
        await WaitForAsync($"SELECT count() FROM zakaz.meta_job_runs FINAL WHERE job = '{expectedJob}' AND status = 'ok'", "1");

        Assert.Equal(Truth(sandbox), await SalesByDayAsync());
        Assert.Equal("1", await TextAsync("SELECT count() FROM zakaz.meta_job_runs FINAL WHERE job LIKE 'qtickets.reconcile%'"));
        // The quality checks follow every load, the reconcile's too.
        await WaitForAsync("SELECT count() >= 2 FROM zakaz.meta_job_runs FINAL WHERE job = 'quality.checks' AND status = 'ok'", "1");
    }

    private async Task WaitForAsync(string sql, string expected)
    {
        var deadline = Stopwatch.StartNew();
        while (await TextAsync(sql) != expected)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromMinutes(2), $"timed out waiting for {sql}");
            await Task.Delay(50);
        }
    }

    private Task<string> SalesByDayAsync() =>
        TextAsync("SELECT d, sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily GROUP BY d ORDER BY d");

    private async Task<string> TextAsync(string sql)
    {
        using var output = new MemoryStream();
        await schema.Store.QueryToStreamAsync(sql, "TSV", output);
        return Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n');
    }

    private static string Truth(QticketsSandbox sandbox) => string.Join('\n', sandbox.Truth.BySaleDate.Where(d => d.Value.Tickets > 0).OrderBy(d => d.Key).Select(d =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Key:yyyy-MM-dd}\t{d.Value.Tickets}\t{d.Value.Revenue:0.00}")));
}
