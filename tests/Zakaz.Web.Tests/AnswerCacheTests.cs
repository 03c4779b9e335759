using System.Net;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Tests;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Testing;
using Zakaz.Web.Qtickets;
using Zakaz.Web.Scheduling;

namespace Zakaz.Web.Tests;

/// <summary>
/// The API's answer cache over <see cref="SampleData"/>: a repeated question is answered without the
/// store until something may have changed the data, and never past its lifetime.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class AnswerCacheTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private const string Kpis = "/api/sales/kpis?from=2026-03-10&to=2026-03-11";

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        await SampleData.LoadAsync(schema.Store);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_repeated_question_is_answered_from_the_cache_until_a_scheduled_job_runs()
    {
        // The job sells one more ticket of 450 on 2026-03-11, as a sync would.
        var sync = new ScheduledJob("qtickets.orders", null, async _ => await SellAsync(450m));
        await using var dashboard = await Dashboard.StartAsync(schema.Store, o => o.Jobs = [sync]);

        var (first, firstSource) = await GetAsync(dashboard, Kpis);
        var (second, secondSource) = await GetAsync(dashboard, Kpis);
        Assert.Equal(("miss", "hit"), (firstSource, secondSource));
        Assert.Equal(first, second);
        Assert.Equal(3600m, Revenue(first));

        Assert.Equal(RunOutcome.Ran, await dashboard.App.Scheduler.RunNowAsync("qtickets.orders"));

        var (third, thirdSource) = await GetAsync(dashboard, Kpis);
        Assert.Equal("miss", thirdSource);
        Assert.Equal(4050m, Revenue(third));
    }

    [Fact]
    public async Task A_write_by_another_process_shows_once_the_answer_is_older_than_its_lifetime()
    {
        var clock = new MovableTime();
        await using var dashboard = await Dashboard.StartAsync(schema.Store, o =>
        {
            o.Time = clock;
            o.AnswerCacheTtl = TimeSpan.FromSeconds(30);
        });
        Assert.Equal(3600m, Revenue((await GetAsync(dashboard, Kpis)).Body));

        await SellAsync(450m);
        clock.Advance(TimeSpan.FromSeconds(29));
        var (kept, keptSource) = await GetAsync(dashboard, Kpis);
        clock.Advance(TimeSpan.FromSeconds(2));
        var (fresh, freshSource) = await GetAsync(dashboard, Kpis);

        Assert.Equal(("hit", 3600m), (keptSource, Revenue(kept)));
        Assert.Equal(("miss", 4050m), (freshSource, Revenue(fresh)));
    }

    [Fact]
    public async Task Posts_that_store_nothing_keep_the_answers_and_a_stored_webhook_drops_them()
    {
        const string Secret = "answer-cache-webhook-secret";
        await using var sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Seed = 5, Orders = 50 });
        await using var dashboard = await Dashboard.StartAsync(schema.Store, o =>
            o.Qtickets = new QticketsOptions { WebhookSecret = Secret, BuyerKeySecret = "answer-cache-buyer-key" });
        var hook = new Uri(dashboard.App.Url, QticketsWebhookEndpoints.Path);
        await GetAsync(dashboard, Kpis);

        // Anyone may send these; none writes, so none may cost every page its kept answers.
        using (await dashboard.Http.PostAsync("/login", new FormUrlEncodedContent([new KeyValuePair<string, string>("password", "guess")])))
        using (await dashboard.Http.PostAsync("/logout", null))
        using (await dashboard.Http.PostAsync(hook, new StringContent("{}")))
        using (await dashboard.Http.PostAsync("/api/sales/kpis", null))
        {
        }
        var order = Assert.Single(sandbox.AddOrders(1));
        Assert.Equal(HttpStatusCode.Unauthorized, await sandbox.SendWebhookAsync(hook, "not-the-secret", order, "created"));
        Assert.Equal("hit", (await GetAsync(dashboard, Kpis)).Source);

        Assert.Equal(HttpStatusCode.OK, await sandbox.SendWebhookAsync(hook, Secret, order, "created"));
        Assert.Equal("miss", (await GetAsync(dashboard, Kpis)).Source);
        Assert.Equal("hit", (await GetAsync(dashboard, Kpis)).Source);
    }

    [Fact]
    public async Task Downloads_head_requests_and_failures_are_never_kept()
    {
        await using var dashboard = await Dashboard.StartAsync(schema.Store);

        using (var head = await dashboard.Http.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/api/sales/daily?from=2026-03-10")))
        {
            Assert.False(head.Headers.Contains("X-Answer-Cache"));
        }
        var (daily, dailySource) = await GetAsync(dashboard, "/api/sales/daily?from=2026-03-10");
        Assert.Equal("miss", dailySource);
        Assert.Contains("\"rows\"", daily, StringComparison.Ordinal);

        const string Csv = "/api/sales/daily?from=2026-03-10&to=2026-03-11&format=csv";
        Assert.Equal("", (await GetAsync(dashboard, Csv)).Source);
        Assert.Equal("", (await GetAsync(dashboard, Csv)).Source);
        const string Bad = "/api/sales/daily?from=2026-13-01";
        Assert.Equal("miss", (await GetAsync(dashboard, Bad, HttpStatusCode.BadRequest)).Source);
        Assert.Equal("miss", (await GetAsync(dashboard, Bad, HttpStatusCode.BadRequest)).Source);
    }

    [Fact]
    public async Task A_lifetime_of_zero_turns_the_cache_off()
    {
        await using var dashboard = await Dashboard.StartAsync(schema.Store, o => o.AnswerCacheTtl = TimeSpan.Zero);
        await GetAsync(dashboard, Kpis);
        Assert.Equal("", (await GetAsync(dashboard, Kpis)).Source);
    }

    private async Task SellAsync(decimal price)
    {
        var staging = new Staging(schema.Store);
        var paid = Staging.Msk(2026, 3, 11);
        await staging.Sale(77, 1, paid, price);
        await new FactBuilder(schema.Store).RebuildAsync(new DateOnly(2026, 3, 11), new DateOnly(2026, 3, 11));
    }

    /// <summary>The body and where it came from: "hit", "miss", or "" when the cache did not see it.</summary>
    private static async Task<(string Body, string Source)> GetAsync(Dashboard dashboard, string path, HttpStatusCode status = HttpStatusCode.OK)
    {
        using var response = await dashboard.Http.GetAsync(path);
        Assert.Equal(status, response.StatusCode);
        var source = response.Headers.TryGetValues("X-Answer-Cache", out var values) ? string.Join(",", values!) : "";
        return (await response.Content.ReadAsStringAsync(), source);
    }

    private static decimal Revenue(string kpis) =>
        JsonDocument.Parse(kpis).RootElement.GetProperty("kpis").EnumerateArray()
            .Single(k => k.GetProperty("key").GetString() == "revenue").GetProperty("value").GetDecimal();
}
