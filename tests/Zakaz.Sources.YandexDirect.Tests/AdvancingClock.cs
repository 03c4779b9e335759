using Microsoft.Extensions.Time.Testing;

namespace Zakaz.Sources.YandexDirect.Tests;

/// <summary>
/// A fake clock that jumps over every wait shorter than <see cref="Horizon"/> as soon as one starts, and records it: the
/// client's offline waits pass at once, while the pipeline's time limits (set longer than the horizon) never fire.
/// </summary>
internal sealed class AdvancingClock : FakeTimeProvider
{
    public static readonly TimeSpan Horizon = TimeSpan.FromMinutes(30);

    private readonly List<TimeSpan> _waits = [];

    public AdvancingClock()
        : base(new DateTimeOffset(2025, 3, 1, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public IReadOnlyList<TimeSpan> Waits
    {
        get
        {
            lock (_waits)
            {
                return [.. _waits];
            }
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = base.CreateTimer(callback, state, dueTime, period);
        if (dueTime > TimeSpan.Zero && dueTime < Horizon && period == Timeout.InfiniteTimeSpan)
        {
            lock (_waits)
            {
                _waits.Add(dueTime);
            }
            _ = Task.Run(() => Advance(dueTime));
        }
        return timer;
    }
}
