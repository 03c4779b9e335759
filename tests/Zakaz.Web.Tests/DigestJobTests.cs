using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Zakaz.Notifications;
using Zakaz.Operations.Digest;
using Zakaz.Pipeline.Sync;
using Zakaz.Storage;
using Zakaz.Testing;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>The morning digest as a job of <c>zakaz serve</c>: at ZAKAZ_DIGEST_TIME Moscow, only when a channel is registered.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class DigestJobTests(ZakazSchemaFixture schema)
{
    private static readonly DateTimeOffset Morning = new(2026, 12, 6, 8, 30, 0, TimeSpan.FromHours(3));

    [Fact]
    public void Without_a_channel_there_is_no_digest_job()
    {
        var (jobs, _) = ServeJobs.For(schema.Store, new ZakazOptions(), null, null, new ProgressLines<SyncProgress>(TextWriter.Null), channels: []);

        Assert.DoesNotContain(jobs, j => j.Name == MorningDigestSender.Job);
    }

    [Fact]
    public async Task The_digest_goes_at_the_configured_Moscow_time_to_the_registered_channel()
    {
        await schema.ResetDataAsync();
        var options = new ZakazOptions();
        options.Digest.Time = new TimeOnly(8, 45);
        var time = new FakeTimeProvider(Morning);
        var channel = new Channel();

        var (jobs, _) = ServeJobs.For(schema.Store, options, null, null, new ProgressLines<SyncProgress>(TextWriter.Null), time, channels: [channel]);
        var digest = Assert.Single(jobs, j => j.Name == MorningDigestSender.Job);
        Assert.Equal("daily at 08:45 Moscow", digest.Schedule?.ToString());

        var log = new FakeLogger<JobScheduler>();
        using var scheduler = new JobScheduler([digest with { Finally = [] }], log, time);
        await using var running = await scheduler.StartedAsync();
        var deadline = Stopwatch.StartNew();
        // The clock moves only once the scheduler has set its time: moved earlier, 08:45 would be tomorrow's.
        while (!log.Collector.GetSnapshot().Any(r => r.Message == "digest.send runs next at 2026-12-06 08:45:00 Moscow"))
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the scheduler did not plan the digest for 08:45");
            await Task.Delay(20);
        }
        time.Advance(TimeSpan.FromMinutes(15));
        QueryResult run;
        while ((run = await schema.Store.QueryAsync(
            $"SELECT started_at, metrics FROM zakaz.meta_job_runs FINAL WHERE job = '{MorningDigestSender.Job}' AND status = 'ok'")).Rows.Count == 0)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), "the digest did not go at 08:45");
            await Task.Delay(20);
        }

        Assert.Equal("Zakaz: итоги 05.12.2026", Assert.Single(channel.Received).Subject);
        Assert.Equal(Morning.AddMinutes(15), run.Get<DateTimeOffset>(0, 0));
        Assert.Contains("\"date\":\"2026-12-05\"", run.Get<string>(0, 1), StringComparison.Ordinal);
    }

    private sealed class Channel : INotificationChannel
    {
        public string Name => "telegram";

        public ConcurrentQueue<Notification> Received { get; } = new();

        public Task SendAsync(Notification notification, CancellationToken cancellationToken = default)
        {
            Received.Enqueue(notification);
            return Task.CompletedTask;
        }
    }
}
