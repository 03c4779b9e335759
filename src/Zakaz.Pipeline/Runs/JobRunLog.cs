using System.Text.Json;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Runs;

/// <summary>
/// Records jobs in zakaz.meta_job_runs: a row with status running when a job starts, then the same
/// (job, run_id) again with a higher _ver when it ends, so a run that died midway stays visible as
/// running and readers (FINAL) see only its last state.
/// </summary>
public sealed class JobRunLog(IClickHouseStore store)
{
    private static readonly RowSchema<JobRunRecord> Schema = new RowSchema<JobRunRecord>()
        .Column("job", "LowCardinality(String)", r => r.Job)
        .Column("run_id", "String", r => r.RunId)
        .Column("started_at", "DateTime('UTC')", r => r.StartedAt)
        .Column("finished_at", "Nullable(DateTime('UTC'))", r => r.FinishedAt)
        .Column("status", "LowCardinality(String)", r => r.Status)
        .Column("rows_processed", "UInt64", r => r.RowsProcessed)
        .Column("message", "String", r => r.Message)
        .Column("metrics", "String", r => r.Metrics)
        .Column("_ver", "UInt64", r => r.Version);

    public async Task<JobRun> StartAsync(string job, CancellationToken cancellationToken = default)
    {
        var run = new JobRun(this, job, Guid.NewGuid().ToString(), DateTimeOffset.UtcNow);
        await WriteAsync(new JobRunRecord(job, run.RunId, run.StartedAt, null, JobStatus.Running, 0, "", "{}", run.StartVersion), cancellationToken);
        return run;
    }

    internal async Task FinishAsync(JobRun run, string status, long rowsProcessed, string message, object? metrics, CancellationToken cancellationToken)
    {
        var finishedAt = DateTimeOffset.UtcNow;
        // The end must outrank the start even when both fall in the same millisecond.
        var version = Math.Max(UnixMilliseconds(finishedAt), run.StartVersion + 1);
        var record = new JobRunRecord(run.Job, run.RunId, run.StartedAt, finishedAt, status, checked((ulong)rowsProcessed), message,
            JsonSerializer.Serialize(metrics ?? new object()), version);
        await WriteAsync(record, cancellationToken);
    }

    internal static ulong UnixMilliseconds(DateTimeOffset instant) => (ulong)instant.ToUnixTimeMilliseconds();

    private Task WriteAsync(JobRunRecord record, CancellationToken cancellationToken) =>
        store.InsertAsync("zakaz.meta_job_runs", Schema, [record], cancellationToken: cancellationToken);

    private sealed record JobRunRecord(
        string Job, string RunId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Status,
        ulong RowsProcessed, string Message, string Metrics, ulong Version);
}
