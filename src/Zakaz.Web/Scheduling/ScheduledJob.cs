using Zakaz.Pipeline.Runs;
using Zakaz.Storage;

namespace Zakaz.Web.Scheduling;

/// <summary>
/// One named job of <see cref="JobScheduler"/>: it runs on its <see cref="Schedule"/> (or only after
/// another job when null), then the jobs named in <see cref="Then"/> run after each success and those in
/// <see cref="Finally"/> after every run, failed or not. Jobs that
/// share a name in <see cref="Locks"/> (what they write) never run at once. The work records itself in
/// zakaz.meta_job_runs (the syncs do); <see cref="Recorded"/> wraps work that does not.
/// </summary>
public sealed record ScheduledJob(string Name, JobSchedule? Schedule, Func<CancellationToken, Task> Run)
{
    public IReadOnlyList<string> Then { get; init; } = [];

    /// <summary>Jobs run after every run of this one, whether it succeeded or failed: the alerts, which must see failures.</summary>
    public IReadOnlyList<string> Finally { get; init; } = [];

    /// <summary>
    /// Names of what the job writes that no other job may write at the same time: a job due while another
    /// holds one of them waits until it is released (a nightly run must not be lost to a short one).
    /// </summary>
    public IReadOnlyList<string> Locks { get; init; } = [];

    /// <summary>Work that returns its row count, recorded as a run of <paramref name="name"/> (ok, or error with the message).</summary>
    public static ScheduledJob Recorded(string name, JobSchedule? schedule, IClickHouseStore store, Func<CancellationToken, Task<long>> work) =>
        new(name, schedule, cancellationToken => new JobRunLog(store).RecordAsync(name, work, rows => new RunSummary(rows), cancellationToken: cancellationToken));
}
