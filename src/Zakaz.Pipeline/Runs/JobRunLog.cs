using System.Collections.Concurrent;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Runs;

/// <summary>
/// Records jobs in zakaz.meta_job_runs: a row with status running when a job starts, then the same
/// (job, run_id) again with a higher _ver when it ends; readers (FINAL) see only its last state. A run
/// whose process died midway (killed, crashed) cannot end itself, so every run starts by marking the
/// running rows whose process is gone as error <see cref="Interrupted"/>.
/// </summary>
public sealed class JobRunLog(IClickHouseStore store, TimeProvider? time = null)
{
    /// <summary>The message of a run whose process ended before the run did.</summary>
    public const string Interrupted = "interrupted";

    private const string Table = "zakaz.meta_job_runs";

    private static readonly RowSchema<JobRunRecord> Schema = new RowSchema<JobRunRecord>()
        .Column("job", "LowCardinality(String)", r => r.Job)
        .Column("run_id", "String", r => r.RunId)
        .Column("started_at", "DateTime('UTC')", r => r.StartedAt)
        .Column("finished_at", "Nullable(DateTime('UTC'))", r => r.FinishedAt)
        .Column("status", "LowCardinality(String)", r => r.Status)
        .Column("rows_processed", "UInt64", r => r.RowsProcessed)
        .Column("message", "String", r => r.Message)
        .Column("metrics", "String", r => r.Metrics)
        .Column("host", "String", r => r.Process.Host)
        .Column("pid", "UInt32", r => r.Process.Pid)
        .Column("process_started_at", "Nullable(DateTime('UTC'))", r => r.Process.Pid == 0 ? null : (DateTimeOffset?)r.Process.StartedAt)
        .Column("_ver", "UInt64", r => r.Version);

    /// <summary>Runs of this process that have not ended: a running row of this very process not among them was abandoned.</summary>
    private static readonly ConcurrentDictionary<string, byte> Going = new(StringComparer.Ordinal);

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>
    /// Runs <paramref name="work"/> as a run of <paramref name="job"/>: ok with the rows and metrics <paramref name="summary"/>
    /// reads from its result, or error with the failure's message (<paramref name="describe"/>, one line), recorded even
    /// when the work was cancelled, so a killed job never looks like it is still running. The failure is thrown on.
    /// </summary>
    public async Task<T> RecordAsync<T>(string job, Func<CancellationToken, Task<T>> work, Func<T, RunSummary> summary,
        Func<Exception, string>? describe = null, CancellationToken cancellationToken = default)
    {
        var run = await StartAsync(job, cancellationToken);
        T result;
        try
        {
            result = await work(cancellationToken);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await run.FailAsync((describe?.Invoke(e) ?? e.Message).ReplaceLineEndings(" "), cancellationToken: CancellationToken.None);
            throw;
        }
        var (rows, metrics) = summary(result);
        await run.CompleteAsync(rows, metrics, cancellationToken);
        return result;
    }

    public async Task<JobRun> StartAsync(string job, CancellationToken cancellationToken = default)
    {
        await MarkInterruptedAsync(cancellationToken);
        var run = new JobRun(this, job, Guid.NewGuid().ToString(), _time.GetUtcNow());
        Going[run.RunId] = 0;
        try
        {
            await WriteAsync(new JobRunRecord(job, run.RunId, run.StartedAt, null, JobStatus.Running, 0, "", "{}", RunProcess.Current, run.StartVersion),
                cancellationToken);
        }
        catch
        {
            Going.TryRemove(run.RunId, out _);
            throw;
        }
        return run;
    }

    /// <summary>
    /// Marks every running row whose process is gone as error <see cref="Interrupted"/>, with its start and process kept;
    /// returns the runs marked. Rows of another host are left: their process cannot be seen from here. Rows recorded
    /// before processes were (no host) count as gone once this process started after them. Should the process still
    /// be alive after all, its own end outranks the mark.
    /// </summary>
    public async Task<IReadOnlyList<string>> MarkInterruptedAsync(CancellationToken cancellationToken = default)
    {
        var running = await store.QueryAsync("""
            SELECT job, run_id, started_at, rows_processed, metrics, host, pid, process_started_at, _ver
            FROM zakaz.meta_job_runs FINAL
            WHERE status = {status:String}
            """, new QueryParameters().Add("status", JobStatus.Running), cancellationToken: cancellationToken);
        var marks = new List<JobRunRecord>();
        var now = _time.GetUtcNow();
        for (var i = 0; i < running.Rows.Count; i++)
        {
            var runId = running.Get<string>(i, "run_id");
            var startedAt = running.Get<DateTimeOffset>(i, "started_at");
            var host = running.Get<string>(i, "host");
            var process = new RunProcess(host, running.Get<uint>(i, "pid"), running.Get<DateTimeOffset?>(i, "process_started_at") ?? DateTimeOffset.MinValue);
            var gone = host.Length == 0 ? startedAt < RunProcess.Current.StartedAt
                : process.IsSameAs(RunProcess.Current) ? !Going.ContainsKey(runId)
                : process.HasEnded();
            if (gone)
            {
                marks.Add(new JobRunRecord(running.Get<string>(i, "job"), runId, startedAt, null, JobStatus.Error, running.Get<ulong>(i, "rows_processed"),
                    Interrupted, running.Get<string>(i, "metrics"), process, Math.Max(UnixMilliseconds(now), running.Get<ulong>(i, "_ver") + 1)));
            }
        }
        if (marks.Count > 0)
        {
            await store.InsertAsync(Table, Schema, marks, cancellationToken: cancellationToken);
        }
        return marks.Select(m => $"{m.Job} {m.RunId}").ToArray();
    }

    internal async Task FinishAsync(JobRun run, string status, long rowsProcessed, string message, object? metrics, CancellationToken cancellationToken)
    {
        var finishedAt = _time.GetUtcNow();
        // The end must outrank the start even when both fall in the same millisecond.
        var version = Math.Max(UnixMilliseconds(finishedAt), run.StartVersion + 1);
        var record = new JobRunRecord(run.Job, run.RunId, run.StartedAt, finishedAt, status, checked((ulong)rowsProcessed), message,
            JsonSerializer.Serialize(metrics ?? new object()), RunProcess.Current, version);
        try
        {
            await WriteAsync(record, cancellationToken);
        }
        finally
        {
            // Not written (the store is down): the next run of this process marks it interrupted.
            Going.TryRemove(run.RunId, out _);
        }
    }

    internal static ulong UnixMilliseconds(DateTimeOffset instant) => (ulong)instant.ToUnixTimeMilliseconds();

    private Task WriteAsync(JobRunRecord record, CancellationToken cancellationToken) =>
        store.InsertAsync(Table, Schema, [record], cancellationToken: cancellationToken);

    private sealed record JobRunRecord(
        string Job, string RunId, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, string Status,
        ulong RowsProcessed, string Message, string Metrics, RunProcess Process, ulong Version);
}
