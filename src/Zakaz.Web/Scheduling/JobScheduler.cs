using System.Collections.Concurrent;
using System.Globalization;

namespace Zakaz.Web.Scheduling;

/// <summary>
/// Runs named jobs inside the serving process (with the embedded store it is the only writer of
/// its data directory), each on its <see cref="JobSchedule"/>: at an interval (at once at start, then
/// every interval) or at a wall-clock time of chosen days (Moscow), read from the <see cref="TimeProvider"/>.
/// A job never overlaps itself: a run due while the previous one is still going is skipped. Jobs that
/// share a lock never overlap each other: the later one waits. A failed run is retried later, each
/// consecutive failure doubling the wait (up to <see cref="MaxBackoffTicks"/> times), so a source that
/// is down is not hammered; the first success resets it.
/// </summary>
public sealed class JobScheduler : IAsyncDisposable
{
    public const int MaxBackoffTicks = 8;

    /// <summary>The longest single sleep: a wait is re-measured against the clock at least this often.</summary>
    private static readonly TimeSpan MaxSleep = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, ScheduledJob> _jobs;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);
    private readonly Dictionary<string, SemaphoreSlim> _locks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _holders = new(StringComparer.Ordinal);
    private readonly Action<string> _log;
    private readonly TimeProvider _time;
    private readonly Action _writing;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];

    /// <param name="writing">Called as each run starts and ends: the store is being or was written.</param>
    public JobScheduler(IReadOnlyList<ScheduledJob> jobs, Action<string>? log = null, TimeProvider? time = null, Action? writing = null)
    {
        _jobs = jobs.ToDictionary(j => j.Name, StringComparer.Ordinal);
        foreach (var follower in jobs.SelectMany(j => j.Then).Where(n => !_jobs.ContainsKey(n)))
        {
            throw new ArgumentException($"A job runs '{follower}' after itself, but there is no job of that name.", nameof(jobs));
        }
        foreach (var job in jobs)
        {
            _running[job.Name] = new SemaphoreSlim(1, 1);
        }
        foreach (var name in jobs.SelectMany(j => j.Locks).Distinct(StringComparer.Ordinal))
        {
            _locks[name] = new SemaphoreSlim(1, 1);
        }
        _log = log ?? (_ => { });
        _time = time ?? TimeProvider.System;
        _writing = writing ?? (() => { });
    }

    public IReadOnlyCollection<string> Jobs => _jobs.Keys;

    /// <summary>Starts every job with a schedule, its first time counted from now (not from when its loop gets a thread).</summary>
    public void Start()
    {
        var now = _time.GetUtcNow();
        foreach (var job in _jobs.Values.Where(j => j.Schedule is not null))
        {
            var first = job.Schedule!.RunsAtStart ? now : job.Schedule.Next(now, 0);
            _loops.Add(Task.Run(() => LoopAsync(job, job.Schedule, first, _stop.Token)));
        }
    }

    /// <summary>The wait after <paramref name="failures"/> consecutive failures: the interval, doubled per failure beyond the first.</summary>
    public static TimeSpan Backoff(TimeSpan interval, int failures) =>
        failures <= 1 ? interval : interval * Math.Min(MaxBackoffTicks, 1 << Math.Min(failures - 1, 30));

    /// <summary>Runs a job now (and the jobs after it), unless a run of it is going.</summary>
    public Task<RunOutcome> RunNowAsync(string name, CancellationToken cancellationToken = default) =>
        RunAsync(_jobs.TryGetValue(name, out var job) ? job : throw new ArgumentException($"No job '{name}'.", nameof(name)), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Task.WhenAll(_loops);
        }
        catch (OperationCanceledException)
        {
            // Stopping is the point.
        }
        _stop.Dispose();
    }

    private async Task LoopAsync(ScheduledJob job, JobSchedule schedule, DateTimeOffset due, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            if (!schedule.RunsAtStart && failures == 0)
            {
                _log($"scheduler: {job.Name} runs next at {Moscow(due)}");
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
                _log($"scheduler: {job.Name} failed {failures} time(s) in a row; next try in {due - now}");
            }
        }
    }

    /// <summary>Sleeps until <paramref name="due"/> by the clock, re-measuring at least every <see cref="MaxSleep"/> so a clock set anew is followed.</summary>
    private async Task WaitUntilAsync(DateTimeOffset due, CancellationToken stop)
    {
        for (var left = due - _time.GetUtcNow(); left > TimeSpan.Zero; left = due - _time.GetUtcNow())
        {
            await Task.Delay(left < MaxSleep ? left : MaxSleep, _time, stop);
        }
    }

    private async Task<RunOutcome> RunAsync(ScheduledJob job, CancellationToken stop)
    {
        var gate = _running[job.Name];
        if (!await gate.WaitAsync(0, stop))
        {
            _log($"scheduler: {job.Name} is still running; this run is skipped");
            return RunOutcome.Skipped;
        }
        var held = new List<string>();
        var started = false;
        try
        {
            foreach (var name in job.Locks.Order(StringComparer.Ordinal))
            {
                if (!await _locks[name].WaitAsync(0, stop))
                {
                    _log($"scheduler: {job.Name} waits for {_holders.GetValueOrDefault(name, "another job")} to finish ({name})");
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
            _log($"scheduler: {job.Name} failed: {e.Message}");
            return RunOutcome.Failed;
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
        foreach (var next in job.Then)
        {
            await RunAsync(_jobs[next], stop);
        }
        return RunOutcome.Ran;
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
