using System.Diagnostics;
using Zakaz.Pipeline.Runs;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests;

[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class JobRunLogTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_run_reads_running_then_ok_with_its_counts_and_metrics()
    {
        var log = new JobRunLog(schema.Store);

        var run = await log.StartAsync("facts.rebuild");
        var started = await ReadAsync(run);
        await run.CompleteAsync(42, new { tables = 3 });
        var finished = await ReadAsync(run);

        Assert.Equal("running\t\\N\t0\t\t{}", started);
        Assert.Equal("ok\t1\t42\t\t{\"tables\":3}", finished);
        Assert.True(Guid.TryParse(run.RunId, out _));
    }

    [Fact]
    public async Task A_failed_run_reads_error_with_the_message_and_other_runs_are_untouched()
    {
        var log = new JobRunLog(schema.Store);
        var failing = await log.StartAsync("vk_ads.sync");
        var other = await log.StartAsync("vk_ads.sync");

        await failing.FailAsync("VK Ads answered 401: check VK_ADS_CLIENT_SECRET", rowsProcessed: 7);

        Assert.Equal("error\t1\t7\tVK Ads answered 401: check VK_ADS_CLIENT_SECRET\t{}", await ReadAsync(failing));
        Assert.Equal("running\t\\N\t0\t\t{}", await ReadAsync(other));
    }

    [Fact]
    public async Task The_next_run_marks_running_rows_whose_process_is_gone_as_interrupted_and_leaves_live_ones()
    {
        // Real processes of this host: one still alive, one killed midway as a crash or an OOM kill would end it.
        using var alive = Sleeper();
        using var killed = Sleeper();
        try
        {
            var host = Environment.MachineName;
            var self = Process.GetCurrentProcess();
            await InsertRunningAsync("qtickets.orders", "killed", host, killed.Id, killed.StartTime);
            await InsertRunningAsync("vk_ads.daily", "alive", host, alive.Id, alive.StartTime);
            // The alive process's pid, but a start time of another process: the pid was given again since.
            await InsertRunningAsync("vk_ads.daily", "pid-reused", host, alive.Id, alive.StartTime.AddMinutes(-5));
            // This very process, but no run of it is going: its end was never written (the store was down then).
            await InsertRunningAsync("quality.checks", "abandoned", host, Environment.ProcessId, self.StartTime);
            // Another machine's process cannot be seen from here.
            await InsertRunningAsync("qtickets.orders", "elsewhere", "another-host", killed.Id, killed.StartTime);
            killed.Kill();
            await killed.WaitForExitAsync();

            var next = await new JobRunLog(schema.Store).StartAsync("facts.rebuild");

            Assert.Equal("""
                abandoned	error	interrupted	\N
                alive	running		\N
                elsewhere	running		\N
                killed	error	interrupted	\N
                pid-reused	error	interrupted	\N
                """.ReplaceLineEndings("\n"), await PipelineQueries.TextAsync(schema.Store, """
                SELECT run_id, status, message, finished_at FROM zakaz.meta_job_runs FINAL WHERE job != 'facts.rebuild' ORDER BY run_id
                """));
            Assert.Equal($"running\t{host}\t{Environment.ProcessId}\t1", await PipelineQueries.TextAsync(schema.Store, $"""
                SELECT status, host, pid, abs(dateDiff('second', process_started_at, toDateTime('{Stamp(self.StartTime)}', 'UTC'))) <= 1
                FROM zakaz.meta_job_runs FINAL WHERE run_id = '{next.RunId}'
                """));
        }
        finally
        {
            alive.Kill();
        }
    }

    private static Process Sleeper() => Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;

    private Task InsertRunningAsync(string job, string runId, string host, int pid, DateTime processStartedAt) => schema.Store.ExecuteAsync($"""
        INSERT INTO zakaz.meta_job_runs (job, run_id, started_at, status, host, pid, process_started_at, _ver)
        VALUES ('{job}', '{runId}', now('UTC') - INTERVAL 1 MINUTE, 'running', '{host}', {pid}, toDateTime('{Stamp(processStartedAt)}', 'UTC'), 1)
        """);

    private static string Stamp(DateTime local) => local.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The run's current state as readers see it: status, whether it finished after it started, rows, message, metrics.</summary>
    private Task<string> ReadAsync(JobRun run) => PipelineQueries.TextAsync(schema.Store, """
        SELECT status, finished_at >= started_at, rows_processed, message, metrics
        FROM zakaz.meta_job_runs FINAL
        WHERE job = {job:String} AND run_id = {run:String}
        """, new QueryParameters().Add("job", run.Job).Add("run", run.RunId));
}
