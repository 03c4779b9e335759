using Microsoft.Extensions.Time.Testing;

namespace Zakaz.Pipeline.Tests.Qtickets;

internal static class TestClock
{
    /// <summary>A clock at <paramref name="now"/> that moves a millisecond at every read, so load versions still grow.</summary>
    public static FakeTimeProvider At(DateTimeOffset now) => new(now) { AutoAdvanceAmount = TimeSpan.FromMilliseconds(1) };
}
