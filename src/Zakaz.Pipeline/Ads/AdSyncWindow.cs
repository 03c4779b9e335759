using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sync;

namespace Zakaz.Pipeline.Ads;

/// <summary>
/// The statistics days an ad platform's sync reads: the requested ones, or yesterday (Moscow) back over the platform's
/// lookback, because platforms restate recent days; reaching further back to the day after the last synced one when
/// runs were missed; never before the oldest day the platform still reports.
/// </summary>
internal sealed record AdSyncWindow(string Platform, int LookbackDays, StreamState Watermarks, StreamKey Watermark, TimeProvider Time, Func<string, Exception> Fail)
{
    /// <param name="oldest">The oldest day the platform reports, from today and the window's last day, and how to say so.</param>
    public async Task<(DateOnly From, DateOnly To)> ResolveAsync(DateOnly? requestedFrom, DateOnly? requestedTo,
        Func<DateOnly, DateOnly, (DateOnly Day, string Why)> oldest, Action<string> report, CancellationToken cancellationToken)
    {
        var today = OrderWindow.MoscowDate(Time.GetUtcNow());
        var to = requestedTo ?? today.AddDays(-1);
        var from = requestedFrom ?? to.AddDays(-(LookbackDays - 1));
        if (requestedFrom is null && await Watermarks.ReadAsync(Watermark, cancellationToken) is { } mark &&
            DateOnly.TryParseExact(mark, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var last) && last.AddDays(1) < from)
        {
            from = last.AddDays(1);
        }
        if (from > to)
        {
            throw Fail($"The {Platform} window starts on {Day(from)}, after its end {Day(to)}: give --from on or before --to.");
        }
        var (first, why) = oldest(today, to);
        if (from < first)
        {
            report($"{why}; reading {Day(first)}..{Day(to)} instead of from {Day(from)}");
            from = first;
        }
        return (from, to);
    }

    public static string Day(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
