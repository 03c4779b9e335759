namespace Zakaz.Web.Scheduling;

/// <summary>When a <see cref="ScheduledJob"/> runs: at an interval, or at a wall-clock time of chosen days.</summary>
public abstract record JobSchedule
{
    /// <summary>Moscow, where the promoters' days begin and end (spec: sale dates are Moscow dates).</summary>
    public static readonly TimeZoneInfo Moscow = TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow");

    /// <summary>At once when the scheduler starts, then every <paramref name="interval"/>.</summary>
    public static JobSchedule Every(TimeSpan interval) => new IntervalSchedule(interval);

    public static JobSchedule DailyAt(TimeOnly time) => At(time, Enum.GetValues<DayOfWeek>());

    /// <summary>At <paramref name="time"/> Moscow time on the given days of the week (a weekly job names one).</summary>
    public static JobSchedule At(TimeOnly time, params DayOfWeek[] days) => new WallClockSchedule(time, Moscow, new HashSet<DayOfWeek>(days));

    public abstract bool RunsAtStart { get; }

    /// <summary>
    /// When the job runs next after a run that ended at <paramref name="now"/>, the last <paramref name="failures"/>
    /// of its runs having failed in a row (0 after a success).
    /// </summary>
    public abstract DateTimeOffset Next(DateTimeOffset now, int failures);

    /// <summary>For people: "every 10 min", "daily at 04:00 Moscow".</summary>
    public abstract override string ToString();
}

/// <summary>Runs at once, then every <see cref="Interval"/>, waiting longer after failures (<see cref="JobScheduler.Backoff"/>).</summary>
public sealed record IntervalSchedule(TimeSpan Interval) : JobSchedule
{
    public override bool RunsAtStart => true;

    public override DateTimeOffset Next(DateTimeOffset now, int failures) => now + JobScheduler.Backoff(Interval, failures);

    public override string ToString() => $"every {Interval.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture)} min";
}

/// <summary>
/// Runs at <see cref="Time"/> in <see cref="Zone"/> on <see cref="Days"/>, never at start: a run missed while
/// the process was down waits for its next time. A failed run is retried after <see cref="RetryAfter"/>,
/// doubling per further failure (up to <see cref="JobScheduler.MaxBackoffTicks"/> times that), as long as the
/// retry comes before the next regular time.
/// </summary>
public sealed record WallClockSchedule(TimeOnly Time, TimeZoneInfo Zone, IReadOnlySet<DayOfWeek> Days) : JobSchedule
{
    public static readonly TimeSpan RetryAfter = TimeSpan.FromMinutes(15);

    public override bool RunsAtStart => false;

    public override DateTimeOffset Next(DateTimeOffset now, int failures)
    {
        var regular = NextTimeAfter(now);
        var retry = now + JobScheduler.Backoff(RetryAfter, failures);
        return failures > 0 && retry < regular ? retry : regular;
    }

    /// <summary>The first of the chosen wall-clock times strictly after <paramref name="instant"/>.</summary>
    public DateTimeOffset NextTimeAfter(DateTimeOffset instant)
    {
        if (Days.Count == 0)
        {
            throw new InvalidOperationException("A wall-clock schedule needs at least one day.");
        }
        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        for (var day = DateOnly.FromDateTime(local.DateTime); ; day = day.AddDays(1))
        {
            var wall = day.ToDateTime(Time);
            // A wall time the zone skips (a clock moved forward) happens at the same time of the new offset.
            var at = new DateTimeOffset(wall, Zone.IsInvalidTime(wall) ? Zone.GetUtcOffset(wall.AddHours(1)) : Zone.GetUtcOffset(wall));
            if (at > instant && Days.Contains(day.DayOfWeek))
            {
                return at;
            }
        }
    }

    public override string ToString()
    {
        var time = Time.ToString(Time.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);
        var zone = Zone == Moscow ? "Moscow" : Zone.Id;
        var days = Days.Count == 7 ? "daily"
            : Days.Count == 1 ? $"{Days.Single()}s"
            : string.Join(", ", Enum.GetValues<DayOfWeek>().Where(Days.Contains).Select(d => d.ToString()[..3]));
        return $"{days} at {time} {zone}";
    }
}
