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

    /// <summary>The run's current state as readers see it: status, whether it finished after it started, rows, message, metrics.</summary>
    private Task<string> ReadAsync(JobRun run) => PipelineQueries.TextAsync(schema.Store, """
        SELECT status, finished_at >= started_at, rows_processed, message, metrics
        FROM zakaz.meta_job_runs FINAL
        WHERE job = {job:String} AND run_id = {run:String}
        """, new QueryParameters().Add("job", run.Job).Add("run", run.RunId));
}
