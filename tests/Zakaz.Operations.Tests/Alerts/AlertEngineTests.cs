using Microsoft.Extensions.Time.Testing;
using Zakaz.Notifications;
using Zakaz.Operations.Alerts;
using Zakaz.Operations.Backups;
using Zakaz.Pipeline.Runs;
using Zakaz.Testing;

namespace Zakaz.Operations.Tests.Alerts;

[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class AlertEngineTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 12, 5, 7, 0, 0, TimeSpan.Zero));

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_job_failing_twice_fires_once_reminds_after_the_interval_and_resolves_once()
    {
        var channel = new RecordingChannel("telegram");
        await FailAsync("vk_ads.daily", "VK Ads answered 401: check VK_ADS_CLIENT_SECRET");
        await EngineFor(channel).EvaluateAsync();
        Assert.Empty(channel.Sent);

        await FailAsync("vk_ads.daily", "VK Ads answered 401: check VK_ADS_CLIENT_SECRET");
        await EngineFor(channel).EvaluateAsync();
        var fired = Assert.Single(channel.Sent);
        Assert.Equal("Zakaz: 🔴 Задача vk_ads.daily не выполнена 2 раза подряд", fired.Subject);
        Assert.Contains("Последняя: VK Ads answered 401: check VK_ADS_CLIENT_SECRET", fired.Body);
        Assert.Contains("Что делать:", fired.Body);
        Assert.EndsWith("Качество данных: https://zakaz.example.ru/zakaz/health", fired.Body, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromHours(3));
        await EngineFor(channel).EvaluateAsync();
        Assert.Single(channel.Sent);

        _clock.Advance(TimeSpan.FromHours(1));
        await EngineFor(channel).EvaluateAsync();
        Assert.Equal(2, channel.Sent.Count);
        Assert.StartsWith("Zakaz: 🔁 Всё ещё: Задача vk_ads.daily", channel.Sent[1].Subject);

        await SucceedAsync("vk_ads.daily");
        await EngineFor(channel).EvaluateAsync();
        await EngineFor(channel).EvaluateAsync();
        Assert.Equal(3, channel.Sent.Count);
        Assert.Equal("Zakaz: ✅ Решено: Задача vk_ads.daily не выполнена 2 раза подряд", channel.Sent[2].Subject);
        Assert.Contains("Длилось 4 ч", channel.Sent[2].Body);

        var episodes = await schema.Store.QueryAsync("SELECT status, notifications, failed_deliveries FROM bi.v_ops_alerts");
        Assert.Equal(("resolved", 3UL, 0UL), (episodes.Get<string>(0, "status"), episodes.Get<ulong>(0, "notifications"), episodes.Get<ulong>(0, "failed_deliveries")));
    }

    [Fact]
    public async Task A_restarted_engine_sends_nothing_already_said()
    {
        var before = new RecordingChannel("telegram");
        await FailAsync("qtickets.orders", "Qtickets answered 503");
        await FailAsync("qtickets.orders", "Qtickets answered 503");
        await EngineFor(before).EvaluateAsync();
        Assert.Single(before.Sent);

        var after = new RecordingChannel("telegram");
        _clock.Advance(TimeSpan.FromMinutes(5));
        var evaluation = await EngineFor(after).EvaluateAsync();
        Assert.Empty(after.Sent);
        Assert.Equal((1, 0, 0), (evaluation.Active.Count, evaluation.Started, evaluation.Deliveries.Count));
    }

    [Fact]
    public async Task Alerts_of_one_evaluation_go_in_one_message_per_channel()
    {
        var telegram = new RecordingChannel("telegram");
        var email = new RecordingChannel("email");
        foreach (var job in new[] { "vk_ads.daily", "yandex_direct.daily" })
        {
            await FailAsync(job, $"{job} failed");
            await FailAsync(job, $"{job} failed");
        }
        await EngineFor(telegram, email).EvaluateAsync();

        foreach (var channel in new[] { telegram, email })
        {
            var message = Assert.Single(channel.Sent);
            Assert.Equal("Zakaz: 2 проблемы", message.Subject);
            Assert.Contains("vk_ads.daily", message.Body);
            Assert.Contains("yandex_direct.daily", message.Body);
        }
    }

    [Fact]
    public async Task A_channel_that_is_down_is_recorded_retried_with_a_pause_and_does_not_hold_up_the_other()
    {
        var down = new RecordingChannel("telegram") { Down = true };
        var email = new RecordingChannel("email");
        await FailAsync("vk_ads.daily", "boom");
        await FailAsync("vk_ads.daily", "boom");

        var first = await EngineFor(down, email).EvaluateAsync();
        Assert.Single(email.Sent);
        Assert.Empty(down.Sent);
        Assert.Equal("telegram is down", first.Deliveries.Single(d => d.Channel == "telegram").Error);

        // The first retry waits a minute; the next evaluation inside it does not try.
        _clock.Advance(TimeSpan.FromSeconds(30));
        await EngineFor(down, email).EvaluateAsync();
        Assert.Equal(1, down.Attempts);

        _clock.Advance(TimeSpan.FromMinutes(1));
        down.Down = false;
        await EngineFor(down, email).EvaluateAsync();
        await EngineFor(down, email).EvaluateAsync();
        Assert.Single(down.Sent);
        Assert.Single(email.Sent);

        var failed = await schema.Store.QueryAsync("SELECT channel, error FROM zakaz.meta_alerts WHERE event = 'failed'");
        Assert.Equal(("telegram", "telegram is down"), (failed.Get<string>(0, "channel"), failed.Get<string>(0, "error")));
    }

    [Fact]
    public async Task No_backup_for_26_hours_fires_when_backups_are_taken_here()
    {
        await SucceedAsync(StoreBackups.Job);
        _clock.Advance(TimeSpan.FromHours(25));
        Assert.DoesNotContain(await Rules(backups: true).EvaluateAsync(), a => a.Rule == AlertRules.BackupMissing);

        _clock.Advance(TimeSpan.FromHours(2));
        var missing = Assert.Single(await Rules(backups: true).EvaluateAsync());
        Assert.Equal(("backup_missing", "Нет резервной копии дольше 26 ч"), (missing.Rule, missing.Title));
        Assert.Contains("Последняя успешная копия 05.12.2026 10:00 МСК", missing.Detail);
        Assert.Empty(await Rules(backups: false).EvaluateAsync());
    }

    [Fact]
    public async Task A_served_source_stale_beyond_its_red_threshold_fires()
    {
        _clock.AdjustTime(DateTimeOffset.UtcNow.AddHours(-7));
        await SucceedAsync("qtickets.orders");
        _clock.AdjustTime(DateTimeOffset.UtcNow);

        var stale = Assert.Single(await Rules(backups: false).EvaluateAsync());
        Assert.Equal(("source_stale", "qtickets", "Данные Qtickets устарели"), (stale.Rule, stale.Subject, stale.Title));
        Assert.Contains("порог 6 ч", stale.Detail);
        Assert.Empty(await new AlertRules(schema.Store, ["vk_ads"], backups: false, _clock).EvaluateAsync());
    }

    [Fact]
    public async Task Ad_spend_without_a_city_above_a_fifth_of_the_last_7_days_fires()
    {
        var yesterday = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Europe/Moscow")).Date).AddDays(-1);
        await schema.Store.ExecuteAsync($"""
            INSERT INTO zakaz.dm_ads_daily (stat_date, source, city, spend, _ver) VALUES
            ('{yesterday:yyyy-MM-dd}', 'vk_ads', 'msk', 7000, 1), ('{yesterday:yyyy-MM-dd}', 'yandex_direct', 'unknown', 3000, 1),
            ('{yesterday.AddDays(-30):yyyy-MM-dd}', 'vk_ads', 'unknown', 100000, 1)
            """);
        var unmapped = Assert.Single(await Rules(backups: false).EvaluateAsync());
        Assert.Equal(("unmapped_spend", "30,0\u00A0% расходов на рекламу без города"), (unmapped.Rule, unmapped.Title));
        Assert.Contains("3\u00A0000\u00A0₽ из 10\u00A0000\u00A0₽", unmapped.Detail);

        await schema.Store.ExecuteAsync($"INSERT INTO zakaz.dm_ads_daily (stat_date, source, city, spend, _ver) VALUES ('{yesterday:yyyy-MM-dd}', 'vk_ads', 'msk', 20000, 2)");
        Assert.Empty(await Rules(backups: false).EvaluateAsync());
    }

    [Fact]
    public async Task A_failing_quality_check_fires_unless_a_rule_of_its_own_covers_it()
    {
        await schema.Store.ExecuteAsync("""
            INSERT INTO zakaz.meta_quality_checks (check, checked_at, status, unit, threshold, detail, _ver) VALUES
            ('orders_without_event', now(), 'fail', 'sales', '0', '3 of 90 sales refer to events missing from dim_events', 1),
            ('spend_without_city', now(), 'fail', '%', '<= 20 %', 'all time', 1),
            ('freshness_vk_ads', now(), 'fail', 'min', '<= 360 min', 'red', 1),
            ('duplicate_keys', now(), 'ok', '', '0', 'none', 1)
            """);
        var failing = Assert.Single(await Rules(backups: false).EvaluateAsync());
        Assert.Equal(("quality_failed", "orders_without_event"), (failing.Rule, failing.Subject));
        Assert.Contains("3 of 90 sales", failing.Detail);
    }

    private AlertRules Rules(bool backups) => new(schema.Store, ["qtickets", "vk_ads"], backups, _clock);

    private AlertEngine EngineFor(params INotificationChannel[] channels) =>
        new(Rules(backups: false), new AlertHistory(schema.Store), channels, new AlertOptions { RepeatHours = 4 }, new Uri("https://zakaz.example.ru/zakaz/"), _clock);

    private async Task FailAsync(string job, string error)
    {
        await Assert.ThrowsAsync<InvalidOperationException>(() => new JobRunLog(schema.Store, _clock)
            .RecordAsync<long>(job, _ => throw new InvalidOperationException(error), rows => new RunSummary(rows)));
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    private async Task SucceedAsync(string job)
    {
        await new JobRunLog(schema.Store, _clock).RecordAsync(job, _ => Task.FromResult(1L), rows => new RunSummary(rows));
        _clock.Advance(TimeSpan.FromSeconds(1));
    }

    /// <summary>A channel that keeps what it was given (or fails when down), for the engine's own decisions; the real channels are tested against their stand-ins.</summary>
    private sealed class RecordingChannel(string name) : INotificationChannel
    {
        public string Name => name;

        public bool Down { get; set; }

        public int Attempts { get; private set; }

        public List<Notification> Sent { get; } = [];

        public Task SendAsync(Notification notification, CancellationToken cancellationToken = default)
        {
            Attempts++;
            if (Down)
            {
                throw new NotificationException($"{name} is down");
            }
            Sent.Add(notification);
            return Task.CompletedTask;
        }
    }
}
