using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Zakaz.Testing;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>The scheduler on real time with intervals of milliseconds or on a fake clock for wall-clock times, and its run rows in the real schema.</summary>
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
        using var scheduler = new JobScheduler([job]);
        await using (await scheduler.StartedAsync())
        {
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
        var log = new FakeLogger<JobScheduler>();
        var job = new ScheduledJob("flaky", JobSchedule.Every(interval), _ =>
        {
            attempts.Enqueue(clock.ElapsedMilliseconds);
            return attempts.Count >= 5 ? Task.CompletedTask : Task.FromException(new InvalidOperationException("source down"));
        });
        using var scheduler = new JobScheduler([job], log);
        await using (await scheduler.StartedAsync())
        {
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
        Assert.True(Logged(log, "flaky failed: source down"));
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
        using var scheduler = new JobScheduler(jobs);

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

    [Fact]
    public async Task Idle_is_signalled_once_a_run_and_every_job_after_it_have_ended()
    {
        var events = new List<string>();
        ScheduledJob[] jobs =
        [
            new ScheduledJob("test.load", null, _ => { events.Add("load"); return Task.CompletedTask; }) { Then = ["test.after"], Finally = ["test.alerts"] },
            new ScheduledJob("test.after", null, _ => { events.Add("after"); return Task.CompletedTask; }),
            new ScheduledJob("test.alerts", null, _ => throw new InvalidOperationException("the channel is down")),
        ];
        using var scheduler = new JobScheduler(jobs, idle: () => events.Add("idle"));

        Assert.Equal(RunOutcome.Ran, await scheduler.RunNowAsync("test.load"));
        Assert.Equal(RunOutcome.Failed, await scheduler.RunNowAsync("test.alerts"));

        Assert.Equal(["load", "after", "idle", "idle"], events);
    }

    [Fact]
    public async Task The_final_jobs_run_after_every_run_failed_or_not_and_after_the_next_jobs()
    {
        var fail = true;
        var order = new List<string>();
        ScheduledJob[] jobs =
        [
            new ScheduledJob("test.load", null, _ => fail ? throw new InvalidOperationException("the API said 502") : Task.CompletedTask)
                { Then = ["test.after"], Finally = ["test.alerts"] },
            new ScheduledJob("test.after", null, _ => { order.Add("after"); return Task.CompletedTask; }),
            new ScheduledJob("test.alerts", null, _ => { order.Add("alerts"); return Task.CompletedTask; }),
        ];
        using var scheduler = new JobScheduler(jobs);

        Assert.Equal(RunOutcome.Failed, await scheduler.RunNowAsync("test.load"));
        Assert.Equal(["alerts"], order);
        fail = false;
        Assert.Equal(RunOutcome.Ran, await scheduler.RunNowAsync("test.load"));
        Assert.Equal(["alerts", "after", "alerts"], order);
        Assert.Throws<ArgumentException>(() => new JobScheduler([jobs[0] with { Finally = ["missing"] }, jobs[1]]));
    }

    [Fact]
    public void A_wall_clock_schedule_names_the_next_Moscow_time_of_its_days_strictly_after_now()
    {
        var msk = TimeSpan.FromHours(3);
        var nightly = JobSchedule.At(new TimeOnly(4, 0), DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday);
        var weekly = JobSchedule.At(new TimeOnly(4, 0), DayOfWeek.Sunday);
        var daily = JobSchedule.DailyAt(new TimeOnly(23, 30, 15));
        // 2025-12-06 is a Saturday.
        var saturday = new DateTimeOffset(2025, 12, 6, 3, 59, 0, msk);

        Assert.Equal(new DateTimeOffset(2025, 12, 6, 4, 0, 0, msk), nightly.Next(saturday, 0));
        Assert.Equal(new DateTimeOffset(2025, 12, 8, 4, 0, 0, msk), nightly.Next(saturday.AddMinutes(1), 0));
        Assert.Equal(new DateTimeOffset(2025, 12, 7, 4, 0, 0, msk), weekly.Next(saturday, 0));
        Assert.Equal(new DateTimeOffset(2025, 12, 6, 23, 30, 15, msk), daily.Next(saturday.ToUniversalTime(), 0));
        Assert.Equal(new DateTimeOffset(2025, 12, 7, 23, 30, 15, msk), daily.Next(new DateTimeOffset(2025, 12, 6, 23, 30, 15, msk), 0));
        // A failed run is retried after 15 minutes, doubling, but never past the next regular time.
        Assert.Equal(saturday.AddMinutes(16), nightly.Next(saturday.AddMinutes(1), 1));
        Assert.Equal(saturday.AddMinutes(1 + 60), nightly.Next(saturday.AddMinutes(1), 3));
        Assert.Equal(new DateTimeOffset(2025, 12, 7, 4, 0, 0, msk), weekly.Next(new DateTimeOffset(2025, 12, 7, 3, 0, 0, msk), 8));
        Assert.Equal("Sundays at 04:00 Moscow", weekly.ToString());
        Assert.Equal("Mon, Tue, Wed, Thu, Fri, Sat at 04:00 Moscow", nightly.ToString());
        Assert.Equal("daily at 23:30:15 Moscow", daily.ToString());
    }

    [Fact]
    public async Task A_daily_job_runs_when_the_clock_reaches_its_Moscow_time_once_a_day_and_not_at_start()
    {
        var start = new DateTimeOffset(2025, 12, 2, 3, 0, 0, TimeSpan.FromHours(3));
        var time = new FakeTimeProvider(start);
        var ranAt = new ConcurrentQueue<DateTimeOffset>();
        var log = new FakeLogger<JobScheduler>();
        var job = new ScheduledJob("nightly", JobSchedule.DailyAt(new TimeOnly(4, 0)), _ =>
        {
            ranAt.Enqueue(time.GetUtcNow());
            return Task.CompletedTask;
        });
        using var scheduler = new JobScheduler([job], log, time);
        await using var running = await scheduler.StartedAsync();
        await WaitUntilAsync(() => Logged(log, "nightly runs next at 2025-12-02 04:00:00 Moscow"));
        Assert.Empty(ranAt);

        time.Advance(TimeSpan.FromMinutes(59));
        time.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(() => Logged(log, "nightly runs next at 2025-12-03 04:00:00 Moscow"));
        time.Advance(TimeSpan.FromDays(1));
        await WaitUntilAsync(() => ranAt.Count == 2);

        Assert.Equal(new[] { start.AddHours(1), start.AddHours(25) }, ranAt.Select(t => t.ToOffset(start.Offset)));
    }

    [Fact]
    public async Task A_clock_that_passes_the_due_time_while_the_scheduler_sets_its_timer_still_runs_the_job_then()
    {
        var start = new DateTimeOffset(2025, 12, 2, 3, 59, 30, TimeSpan.FromHours(3));
        // The jump lands between the scheduler's reading (30 s to go) and the start of its timer.
        var time = new JumpingBeforeFirstTimer(new FakeTimeProvider(start), TimeSpan.FromMinutes(1));
        var ran = new TaskCompletionSource<DateTimeOffset>(TaskCreationOptions.RunContinuationsAsynchronously);
        var job = new ScheduledJob("nightly", JobSchedule.DailyAt(new TimeOnly(4, 0)), _ =>
        {
            ran.TrySetResult(time.GetUtcNow());
            return Task.CompletedTask;
        });
        using var scheduler = new JobScheduler([job], time: time);
        await using var running = await scheduler.StartedAsync();

        var at = await ran.Task.WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(start.AddMinutes(1), at);
    }

    [Fact]
    public async Task Jobs_sharing_a_lock_never_overlap_the_later_one_waits_instead_of_being_skipped()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var order = new ConcurrentQueue<string>();
        var log = new FakeLogger<JobScheduler>();
        ScheduledJob[] jobs =
        [
            new("qtickets.orders", null, async ct =>
            {
                order.Enqueue("orders start");
                await release.Task.WaitAsync(ct);
                order.Enqueue("orders end");
            }) { Locks = ["staging"] },
            new("qtickets.reconcile", null, _ =>
            {
                order.Enqueue("reconcile");
                return Task.CompletedTask;
            }) { Locks = ["staging"] },
        ];
        using var scheduler = new JobScheduler(jobs, log);

        var orders = scheduler.RunNowAsync("qtickets.orders");
        await WaitUntilAsync(() => order.Contains("orders start"));
        var reconcile = scheduler.RunNowAsync("qtickets.reconcile");
        await WaitUntilAsync(() => Logged(log, "qtickets.reconcile waits for qtickets.orders to finish (staging)"));
        Assert.False(reconcile.IsCompleted);
        release.SetResult();

        Assert.Equal(RunOutcome.Ran, await orders);
        Assert.Equal(RunOutcome.Ran, await reconcile);
        Assert.Equal(new[] { "orders start", "orders end", "reconcile" }, order);
    }

    [Fact]
    public async Task The_app_runs_its_jobs_in_its_host_and_stopping_the_app_stops_a_run_in_progress()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        var job = new ScheduledJob("endless", JobSchedule.Every(TimeSpan.FromHours(1)), async ct =>
        {
            started.TrySetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                cancelled = true;
                throw;
            }
        });
        var dashboard = await Dashboard.StartAsync(schema.Store, o =>
        {
            o.Jobs = [job];
            o.Sources = [];
        });

        await started.Task.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(RunOutcome.Skipped, await dashboard.App.Scheduler.RunNowAsync("endless"));
        Assert.False(cancelled);
        await dashboard.DisposeAsync();

        Assert.True(cancelled);
    }

    private static bool Logged(FakeLogger<JobScheduler> log, string message) => log.Collector.GetSnapshot().Any(r => r.Message == message);

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

/// <summary>A fake clock that moves forward once, just before the first timer is started on it.</summary>
internal sealed class JumpingBeforeFirstTimer(FakeTimeProvider clock, TimeSpan jump) : TimeProvider
{
    private int _jumped;

    public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

    public override TimeZoneInfo LocalTimeZone => clock.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (Interlocked.Exchange(ref _jumped, 1) == 0)
        {
            clock.Advance(jump);
        }
        return clock.CreateTimer(callback, state, dueTime, period);
    }
}
