namespace Zakaz.Pipeline.Facts;

public readonly record struct DateRange
{
    public DateRange(DateOnly from, DateOnly to)
    {
        From = from <= to ? from : throw new ArgumentException($"The range starts on {from:yyyy-MM-dd}, after its end {to:yyyy-MM-dd}.", nameof(from));
        To = to;
    }

    public DateOnly From { get; }

    public DateOnly To { get; }

    /// <summary>
    /// The business dates a person may name (dashboard filters, command options, plan rows): sales, plans and ad spend all
    /// fall in this century, and every date derived from one (a comparison period before it, a lookback) still fits
    /// ClickHouse's Date (1970-01-01 .. 2149-06-06). A date outside is a typo, refused before any work starts.
    /// </summary>
    public static DateRange Business { get; } = new(new DateOnly(2000, 1, 1), new DateOnly(2099, 12, 31));

    public bool Contains(DateOnly date) => date >= From && date <= To;

    /// <summary>Consecutive dates become one range, so a load that touched a month costs one rebuild, not thirty.</summary>
    public static IReadOnlyList<DateRange> Group(IEnumerable<DateOnly> dates)
    {
        var ranges = new List<DateRange>();
        foreach (var date in dates.Distinct().Order())
        {
            if (ranges.Count > 0 && ranges[^1].To.AddDays(1) == date)
            {
                ranges[^1] = new DateRange(ranges[^1].From, date);
            }
            else
            {
                ranges.Add(new DateRange(date, date));
            }
        }
        return ranges;
    }

    public override string ToString() => From == To
        ? From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
        : $"{From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}..{To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
