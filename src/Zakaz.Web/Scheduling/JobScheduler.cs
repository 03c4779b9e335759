using System.Collections.Concurrent;

namespace Zakaz.Web.Scheduling;

/// <summary>
/// Runs named jobs inside the serving process (with the embedded store it is the only writer of
/// its data directory). A job never overlaps itself: a run due while the previous one is still
/// going is skipped. A failed run is retried at a later tick, each consecutive failure doubling the
/// wait (up to <see cref="MaxBackoffTicks"/> intervals), so a source that is down is not hammered;
/// the first success resets it.
/// </summary>
public sealed class JobScheduler : IAsyncDisposable
{
    public const int MaxBackoffTicks = 8;

    private readonly Dictionary<string, ScheduledJob> _jobs;
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _running = new(StringComparer.Ordinal);
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
        _log = log ?? (_ => { });
        _time = time ?? TimeProvider.System;
        _writing = writing ?? (() => { });
    }

    public IReadOnlyCollection<string> Jobs => _jobs.Keys;

    /// <summary>Starts every job with an interval; each runs at once, then at its interval.</summary>
    public void Start()
    {
        foreach (var job in _jobs.Values.Where(j => j.Interval is not null))
        {
            _loops.Add(Task.Run(() => LoopAsync(job, _stop.Token)));
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

    private async Task LoopAsync(ScheduledJob job, CancellationToken stop)
    {
        var failures = 0;
        while (!stop.IsCancellationRequested)
        {
            failures = await RunAsync(job, stop) switch
            {
                RunOutcome.Failed => failures + 1,
                RunOutcome.Ran => 0,
                _ => failures,
            };
            var wait = Backoff(job.Interval!.Value, failures);
            if (failures > 0)
            {
                _log($"scheduler: {job.Name} failed {failures} time(s) in a row; next try in {wait}");
            }
            try
            {
                await Task.Delay(wait, _time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
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
        try
        {
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
            _writing();
            gate.Release();
        }
        foreach (var next in job.Then)
        {
            await RunAsync(_jobs[next], stop);
        }
        return RunOutcome.Ran;
    }
}

public enum RunOutcome
{
    Ran,

    /// <summary>A run of the job was still going (or the scheduler is stopping).</summary>
    Skipped,

    Failed,
}
