namespace Zakaz.Pipeline.Runs;

/// <summary>A started job run; end it with <see cref="CompleteAsync"/> or <see cref="FailAsync"/>.</summary>
public sealed class JobRun
{
    private readonly JobRunLog _log;

    internal JobRun(JobRunLog log, string job, string runId, DateTimeOffset startedAt)
    {
        _log = log;
        Job = job;
        RunId = runId;
        StartedAt = startedAt;
        StartVersion = JobRunLog.UnixMilliseconds(startedAt);
    }

    public string Job { get; }

    public string RunId { get; }

    public DateTimeOffset StartedAt { get; }

    internal ulong StartVersion { get; }

    /// <summary>Status ok; <paramref name="metrics"/> is stored as JSON text (per-stream counts, timings).</summary>
    public Task CompleteAsync(long rowsProcessed, object? metrics = null, CancellationToken cancellationToken = default) =>
        _log.FinishAsync(this, JobStatus.Ok, rowsProcessed, "", metrics, cancellationToken);

    public Task FailAsync(string message, long rowsProcessed = 0, object? metrics = null, CancellationToken cancellationToken = default) =>
        _log.FinishAsync(this, JobStatus.Error, rowsProcessed, message, metrics, cancellationToken);
}
