namespace Zakaz.Pipeline.Tests.Qtickets;

/// <summary>A clock that pretends it is <paramref name="now"/> yet keeps ticking, so load versions still grow.</summary>
internal sealed class ShiftedTime(DateTimeOffset now) : TimeProvider
{
    private readonly TimeSpan _shift = now - TimeProvider.System.GetUtcNow();

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _shift;
}
