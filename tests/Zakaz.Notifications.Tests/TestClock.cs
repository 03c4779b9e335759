using Microsoft.Extensions.Time.Testing;

namespace Zakaz.Notifications.Tests;

/// <summary>
/// A fake clock that tells when a wait starts. Waits shorter than <see cref="_autoAdvanceBelow"/> (the pipeline's jittered
/// backoff) pass at once; longer ones (a flood-control wait, the pipeline's time limits) only when a test advances it.
/// </summary>
internal sealed class TestClock(TimeSpan autoAdvanceBelow) : FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 6, 0, 0, TimeSpan.Zero))
{
    private readonly TimeSpan _autoAdvanceBelow = autoAdvanceBelow;
    private readonly Lock _gate = new();
    private readonly List<(TimeSpan Due, TaskCompletionSource Started)> _waiters = [];
    private readonly List<TimeSpan> _waits = [];

    public TestClock()
        : this(TimeSpan.Zero)
    {
    }

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_gate)
            {
                return [.. _waits];
            }
        }
    }

    /// <summary>Completes when a one-shot wait of exactly <paramref name="due"/> has started (or already had).</summary>
    public Task WaitStartedAsync(TimeSpan due)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate)
        {
            if (_waits.Contains(due))
            {
                return Task.CompletedTask;
            }
            _waiters.Add((due, started));
        }
        return started.Task;
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && period == Timeout.InfiniteTimeSpan)
        {
            List<TaskCompletionSource> started;
            lock (_gate)
            {
                _waits.Add(dueTime);
                started = [.. _waiters.Where(w => w.Due == dueTime).Select(w => w.Started)];
                _waiters.RemoveAll(w => w.Due == dueTime);
            }
            started.ForEach(s => s.TrySetResult());
            if (dueTime < _autoAdvanceBelow)
            {
                _ = Task.Run(() => Advance(dueTime));
            }
        }
        return timer;
    }
}
