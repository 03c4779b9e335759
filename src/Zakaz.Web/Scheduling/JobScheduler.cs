using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Zakaz.Web.Scheduling;

/// <summary>
/// Runs named jobs inside the serving process (with the embedded store it is the only writer of its
/// data directory), each on its <see cref="JobSchedule"/> by the <see cref="TimeProvider"/>. A job never
/// overlaps itself: a run due while the previous one is still going is skipped. Jobs that share a lock
/// never overlap each other: the later one waits. Each consecutive failure doubles the wait (up to
/// <see cref="MaxBackoffTicks"/> times), so a source that is down is not hammered.
/// </summary>
public sealed class JobScheduler : BackgroundService
{
    public const int MaxBackoffTicks = 8;

    /// <summary>The longest single sleep: a wait is re-measured against the clock at least this often.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, ScheduledJob> _jobs;
    private readonly Dictionary<string, SemaphoreSlim> _running;
    private readonly Dictionary<string, SemaphoreSlim> _locks;
    private readonly ConcurrentDictionary<string, string> _holders = new(StringComparer.Ordinal);
    private readonly ILogger _log;
    private readonly TimeProvider _time;
    private readonly Action _writing;
    private readonly Action _idle;

    /// <summary>Runs going or waiting, followers included: a run's chain counts until its last follower ends.</summary>
    private int _going;

    /// <param name="writing">Called as each run starts and ends: the store is being or was written.</param>
    /// <param name="idle">
    /// Called when the last run going has ended, its followers included: a load and what follows it (the checks,
    /// the alerts) are over, so what is read now stays true until the next run. Called on the scheduler's thread:
    /// it must return at once.
    /// </param>
    public JobScheduler(IReadOnlyList<ScheduledJob> jobs, ILogger<JobScheduler>? log = null, TimeProvider? time = null, Action? writing = null,
        Action? idle = null)
    {
        _jobs = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        foreach (var follower in jobs.SelectMany(j => j.Then.Concat(j.Finally)).Where(n => !_jobs.ContainsKey(n)))
        {
            throw new ArgumentException($"A job runs '{follower}' after itself, but there is no job of that name.", nameof(jobs));
        }
        _running = _jobs.Keys.ToDictionary(n => n, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);
        _locks = jobs.SelectMany(j => j.Locks).Distinct(StringComparer.Ordinal).ToDictionary(n => n, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);
        _log = log ?? NullLogger<JobScheduler>.Instance;
        _time = time ?? TimeProvider.System;
        _writing = writing ?? (() => { });
        _idle = idle ?? (() => { });
    }

    public IReadOnlyCollection<ScheduledJob> Jobs => _jobs.Values;

    /// <summary>Runs every job with a schedule until the host stops, its first time counted from the start (not from when its loop gets a thread).</summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var now = _time.GetUtcNow();
        return Task.WhenAll(_jobs.Values.Where(j => j.Schedule is not null).Select(job =>
        {
            var first = job.Schedule!.RunsAtStart ? now : job.Schedule.Next(now, 0);
            return Task.Run(() => LoopAsync(job, job.Schedule, first, stoppingToken), CancellationToken.None);
        }));
    }

    /// <summary>The wait after <paramref name="failures"/> consecutive failures: the interval, doubled per failure beyond the first.</summary>
    public static TimeSpan Backoff(TimeSpan interval, int failures) =>
        failures <= 1 ? interval : interval * Math.Min(MaxBackoffTicks, 1 << Math.Min(failures - 1, 30));

    /// <summary>Runs a job now (and the jobs after it), unless a run of it is going.</summary>
    public Task<RunOutcome> RunNowAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync(_jobs.TryGetValue(name, out var job) ? job : throw new ArgumentException($"No job '{name}'.", nameof(name)), cancellationToken);

    private async Task LoopAsync(ScheduledJob job, JobSchedule schedule, DateTimeOffset due, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!schedule.RunsAtStart && failures == 0)
            {
                _log.LogInformation("{Job} runs next at {Due}", job.Name, Moscow(due));
            }
            try
            {
                await WaitUntilAsync(due, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            failures = await RunAsync(job, stop) switch
            {
                RunOutcome.Failed => failures + 1,
                RunOutcome.Ran => 0,
                _ => failures,
            };
            var now = _time.GetUtcNow();
            due = schedule.Next(now, failures);
            if (failures > 0)
            {
                _log.LogWarning("{Job} failed {Failures} time(s) in a row; next try in {Wait}", job.Name, failures, due - now);
            }
        }
    }

    /// <summary>Sleeps until <paramref name="due"/> by the clock, re-measuring at least every <see cref="MaxSleep"/> so a clock set anew is followed.</summary>
    private async Task WaitUntilAsync(DateTimeOffset due, CancellationToken stop)
    {
        for (var left = due - _time.GetUtcNow(); left > TimeSpan.Zero; left = due - _time.GetUtcNow())
        {
            using var sleeping = CancellationTokenSource.CreateLinkedTokenSource(stop);
            var sleep = Task.Delay(left < MaxSleep ? left : MaxSleep, _time, sleeping.Token);
            // A clock that jumped past due between the reading above and the timer's start would add a whole sleep.
            if (_time.GetUtcNow() >= due)
            {
                sleeping.Cancel();
                return;
            }
            await sleep;
        }
    }

    /// <param name="follows">
    /// A run after another job's (<see cref="ScheduledJob.Then"/>, <see cref="ScheduledJob.Finally"/>) waits for a run of
    /// its job still going instead of being skipped: that run started before the job it follows had finished, so it
    /// cannot have seen its result.
    /// </param>
    private async Task<RunOutcome> RunAsync(ScheduledJob job, CancellationToken stop, bool follows = false)
    {
        Interlocked.Increment(ref _going);
        try
        {
            return await RunChainAsync(job, stop, follows);
        }
        finally
        {
            if (Interlocked.Decrement(ref _going) == 0)
            {
                _idle();
            }
        }
    }

    private async Task<RunOutcome> RunChainAsync(ScheduledJob job, CancellationToken stop, bool follows)
    {
        var gate = _running[job.Name];
        if (!await gate.WaitAsync(0, stop))
        {
            if (!follows)
            {
                _log.LogInformation("{Job} is still running; this run is skipped", job.Name);
                return RunOutcome.Skipped;
            }
            await gate.WaitAsync(stop);
        }
        var held = new List<string>();
        var started = false;
        var outcome = RunOutcome.Ran;
        try
        {
            foreach (var name in job.Locks.Order(StringComparer.Ordinal))
            {
                if (!await _locks[name].WaitAsync(0, stop))
                {
                    _log.LogInformation("{Job} waits for {Holder} to finish ({Lock})", job.Name, _holders.GetValueOrDefault(name, "another job"), name);
                    await _locks[name].WaitAsync(stop);
                }
                _holders[name] = job.Name;
                held.Add(name);
            }
            started = true;
            _writing();
            await job.Run(stop);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return RunOutcome.Skipped;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.LogWarning("{Job} failed: {Error}", job.Name, e.Message);
            outcome = RunOutcome.Failed;
        }
        finally
        {
            if (started)
            {
                _writing();
            }
            foreach (var name in held)
            {
                _holders.TryRemove(name, out _);
                _locks[name].Release();
            }
            gate.Release();
        }
        foreach (var next in outcome == RunOutcome.Ran ? job.Then.Concat(job.Finally) : job.Finally)
        {
            await RunAsync(_jobs[next], stop, follows: true);
        }
        return outcome;
    }

    private static string Moscow(DateTimeOffset instant) =>
        TimeZoneInfo.ConvertTime(instant, JobSchedule.Moscow).ToString("yyyy-MM-dd HH:mm:ss 'Moscow'", CultureInfo.InvariantCulture);
}

public enum RunOutcome
{
    Ran,

    /// <summary>A run of the job was still going (or the scheduler is stopping).</summary>
    Skipped,

    Failed,
}
