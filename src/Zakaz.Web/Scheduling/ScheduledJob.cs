using Zakaz.Pipeline.Runs;
using Zakaz.Storage;

namespace Zakaz.Web.Scheduling;

/// <summary>
/// One named job of <see cref="JobScheduler"/>: it runs every <see cref="Interval"/> (or only after
/// another job when null), then the jobs named in <see cref="Then"/> run after each success. The
/// work records itself in zakaz.meta_job_runs (the syncs do); <see cref="Recorded"/> wraps work that does not.
/// </summary>
public sealed record ScheduledJob(string Name, TimeSpan? Interval, Func<CancellationToken, Task> Run)
{
    public IReadOnlyList<string> Then { get; init; } = [];

    /// <summary>Work that returns its row count, recorded as a run of <paramref name="name"/> (ok, or error with the message).</summary>
    public static ScheduledJob Recorded(string name, TimeSpan? interval, IClickHouseStore store, Func<CancellationToken, Task<long>> work) =>
        new(name, interval, async cancellationToken =>
        {
            var run = await new JobRunLog(store).StartAsync(name, cancellationToken);
            long rows;
            try
            {
                rows = await work(cancellationToken);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                await run.FailAsync(e.Message, cancellationToken: CancellationToken.None);
                throw;
            }
            await run.CompleteAsync(rows, cancellationToken: cancellationToken);
        });
}
