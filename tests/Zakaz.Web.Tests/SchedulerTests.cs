using System.Collections.Concurrent;
using System.Diagnostics;
using Zakaz.Testing;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>The scheduler on real time with intervals of milliseconds, and its run rows in the real schema.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class SchedulerTests(ZakazSchemaFixture schema)
{
    [Fact]
    public async Task A_job_never_runs_twice_at_once()
    {
        var running = 0;
        var most = 0;
        var runs = 0;
        var job = new ScheduledJob("slow", JobSchedule.Every(TimeSpan.FromMilliseconds(10)), async ct =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref most, now);
            await Task.Delay(150, ct);
            Interlocked.Decrement(ref running);
            Interlocked.Increment(ref runs);
        });
        await using (var scheduler = new JobScheduler([job]))
        {
            scheduler.Start();
            await Task.Delay(50);
            // A run asked for while one is going is skipped, not stacked.
            Assert.Equal(RunOutcome.Skipped, await scheduler.RunNowAsync("slow"));
            await WaitUntilAsync(() => Volatile.Read(ref runs) >= 3);
        }

        Assert.Equal(1, most);
    }

    [Fact]
    public async Task A_failed_run_is_retried_at_later_ticks_with_a_growing_wait()
    {
        // Long enough that a stall of the test host (other test assemblies run beside it) cannot
        // pass for a backoff that was not reset.
        var interval = TimeSpan.FromMilliseconds(100);
        var attempts = new ConcurrentQueue<long>();
        var clock = Stopwatch.StartNew();
        var log = new ConcurrentQueue<string>();
        var job = new ScheduledJob("flaky", JobSchedule.Every(interval), _ =>
        {
            attempts.Enqueue(clock.ElapsedMilliseconds);
            return attempts.Count >= 5 ? Task.CompletedTask : Task.FromException(new InvalidOperationException("source down"));
        });
        await using (var scheduler = new JobScheduler([job], log.Enqueue))
        {
            scheduler.Start();
            await WaitUntilAsync(() => attempts.Count >= 6);
        }

        var at = attempts.ToArray();
        // After failures 1..4 the waits are 1, 2, 4 and 8 intervals; after the success, one interval again.
        for (var failure = 1; failure <= 4; failure++)
        {
            var wait = at[failure] - at[failure - 1];
            Assert.True(wait >= JobScheduler.Backoff(interval, failure).TotalMilliseconds - 5, $"wait after failure {failure}: {wait} ms");
        }
        Assert.True(at[5] - at[4] < JobScheduler.Backoff(interval, 4).TotalMilliseconds, "the success resets the backoff");
        Assert.Contains(log, l => l.Contains("flaky failed: source down", StringComparison.Ordinal));
        Assert.Equal(TimeSpan.FromMinutes(80), JobScheduler.Backoff(TimeSpan.FromMinutes(10), 20));
    }

    [Fact]
    public async Task Every_run_is_recorded_and_the_next_job_runs_after_a_success()
    {
        await schema.ResetDataAsync();
        var fail = true;
        var checks = 0;
        ScheduledJob[] jobs =
        [
            ScheduledJob.Recorded("test.load", null, schema.Store, _ => fail ? throw new InvalidOperationException("the API said 502") : Task.FromResult(7L))
                with { Then = ["test.after"] },
            ScheduledJob.Recorded("test.after", null, schema.Store, _ => Task.FromResult((long)Interlocked.Increment(ref checks))),
        ];
        await using var scheduler = new JobScheduler(jobs);

        Assert.Equal(RunOutcome.Failed, await scheduler.RunNowAsync("test.load"));
        Assert.Equal(0, checks);
        fail = false;
        Assert.Equal(RunOutcome.Ran, await scheduler.RunNowAsync("test.load"));
        Assert.Equal(1, checks);

        var rows = await schema.Store.QueryAsync(
            "SELECT job, status, rows_processed, message FROM zakaz.meta_job_runs FINAL ORDER BY started_at, _ver");
        Assert.Equal(
            ["test.load|error|0|the API said 502", "test.load|ok|7|", "test.after|ok|1|"],
            rows.Rows.Select(r => string.Join('|', r)).OrderBy(r => r.StartsWith("test.after", StringComparison.Ordinal)).ThenBy(r => r.Contains("|ok|", StringComparison.Ordinal)));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while ((seen = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(20), "timed out");
            await Task.Delay(10);
        }
    }
}
