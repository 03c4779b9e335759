namespace Zakaz.Web.Tests;

/// <summary>The system clock, moved forward on demand: lifetimes of answers and sessions pass without waiting.</summary>
internal sealed class MovableTime : TimeProvider
{
    private TimeSpan _offset;

    public void Advance(TimeSpan by) => _offset += by;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _offset;
}
