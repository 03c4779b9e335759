using Zakaz.Pipeline.Facts;

namespace Zakaz.Pipeline.Tests;

public sealed class DateRangeTests
{
    [Fact]
    public void Consecutive_dates_group_into_ranges_whatever_their_order_and_repeats()
    {
        var dates = new[] { "2025-03-01", "2025-02-27", "2025-02-28", "2025-03-05", "2025-02-28", "2024-12-31", "2025-01-01" }.Select(DateOnly.Parse);

        var ranges = DateRange.Group(dates);

        Assert.Equal(["2024-12-31..2025-01-01", "2025-02-27..2025-03-01", "2025-03-05"], ranges.Select(r => r.ToString()));
    }

    [Fact]
    public void A_range_cannot_end_before_it_starts() =>
        Assert.Throws<ArgumentException>(() => new DateRange(new DateOnly(2025, 1, 2), new DateOnly(2025, 1, 1)));
}
