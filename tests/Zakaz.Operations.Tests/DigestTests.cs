using Microsoft.Extensions.Time.Testing;
using Zakaz.Operations.Digest;
using Zakaz.Pipeline.Reports;
using Zakaz.Pipeline.Runs;
using Zakaz.Storage;
using Zakaz.Testing;

namespace Zakaz.Operations.Tests;

/// <summary>
/// The digest over a hand-made day whose figures are known: two cities, one of them losing money on ads, spend no rule
/// placed, an event that sells nothing, a sold-out one and a month's plan; then sending, once per date and channel.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class DigestTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    // 09:00 Moscow on the 6th: the digest is about the 5th, a Saturday.
    private static readonly DateTimeOffset Morning = new(2026, 12, 6, 9, 0, 0, TimeSpan.FromHours(3));
    private static readonly DateOnly Day = new(2026, 12, 5);

    private readonly FakeTimeProvider _clock = new(Morning);

    private IClickHouseStore Store => schema.Store;

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task The_figures_are_the_days_sums_and_the_text_shows_them_in_Russian_with_losing_cities_first()
    {
        await SeedAsync();

        var (digest, message) = await Sender([]).BuildAsync(Day);

        Assert.Equal(new SalesDay(Day, 15, 25, 1_284_567.40m), digest.Sales);
        Assert.Equal(new SalesDay(Day.AddDays(-1), 8, 16, 1_000_000m), digest.DayBefore);
        Assert.Equal(new SalesDay(Day.AddDays(-7), 0, 0, 0m), digest.WeekBefore);
        Assert.Equal([new PlatformSpend("vk_ads", 105_000m), new PlatformSpend("yandex_direct", 80_000m)], digest.Spend);
        Assert.Equal((Day.AddDays(-6), Day, 5_000m), (digest.Roi.From, digest.Roi.To, digest.Roi.SpendWithoutCity));
        Assert.Equal([new CityRoi("москва", 150_000m, 50_000m, -0.6667), new CityRoi("томск", 100_000m, 2_234_567.40m, 21.3457)], digest.Roi.Cities);
        Assert.Equal([3UL, 1UL], digest.EventsAtRisk.Select(e => e.EventId));
        var plan = digest.Plan!;
        Assert.Equal((new DateOnly(2026, 12, 1), Day, 450_000m, 2_284_567.40m, 20UL, 41UL, 1_750_000m, 72UL),
            (plan.From, plan.To, plan.PlanRevenue, plan.FactRevenue, plan.PlanTickets, plan.FactTickets, plan.MonthPlanRevenue, plan.MonthPlanTickets));
        Assert.Equal([new PlanLag(2, "Концерт Б", "москва", 200_000m, 50_000m)], plan.Behind);

        Assert.Equal("Zakaz: итоги 05.12.2026", message.Subject);
        var lines = message.Body.Split('\n');
        Assert.Equal("Итоги за 05.12.2026 (сб), время московское", lines[0]);
        Assert.Contains("Выручка: 1\u00A0284\u00A0567\u00A0₽ (к 04.12 ▲ 28,5\u00A0%, к 28.11 было 0)", lines);
        Assert.Contains("Билеты: 25 (к 04.12 ▲ 56,3\u00A0%, к 28.11 было 0)", lines);
        Assert.Contains("Заказы: 15 (к 04.12 ▲ 87,5\u00A0%, к 28.11 было 0)", lines);
        Assert.Contains("Расход на рекламу: 185\u00A0000\u00A0₽", lines);
        Assert.Contains("  VK Реклама: 105\u00A0000\u00A0₽", lines);
        Assert.Contains("  Яндекс Директ: 80\u00A0000\u00A0₽", lines);
        var roi = Array.FindIndex(lines, l => l.StartsWith("ROMI по городам за 29.11–05.12", StringComparison.Ordinal));
        Assert.EndsWith("убыточных 1 из 2:", lines[roi]);
        Assert.Equal("  Москва: −66,7\u00A0% (расход 150\u00A0000\u00A0₽, выручка 50\u00A0000\u00A0₽)", lines[roi + 1]);
        Assert.Equal("  Томск: +2\u00A0134,6\u00A0% (расход 100\u00A0000\u00A0₽, выручка 2\u00A0234\u00A0567\u00A0₽)", lines[roi + 2]);
        Assert.Equal("  Расход без города: 5\u00A0000\u00A0₽", lines[roi + 3]);
        Assert.Contains("  Концерт В (Казань), 10.12.2026: продано 0,0\u00A0%, осталось 100 из 100; за 7 дней продаж нет", lines);
        var planLine = Array.IndexOf(lines,
            "План на декабрь 2026 по 05.12: выручка 2\u00A0284\u00A0567\u00A0₽ из 450\u00A0000\u00A0₽ (507,7\u00A0%), билеты 41 из 20; на месяц 1\u00A0750\u00A0000\u00A0₽");
        Assert.Equal("  Отстают: Концерт Б (Москва) −150\u00A0000\u00A0₽", lines[planLine + 1]);
        Assert.Equal("Данные: ни один источник ещё не загружался.", lines[^1]);
    }

    [Fact]
    public async Task An_empty_store_gives_a_digest_that_says_there_were_no_sales()
    {
        var (digest, message) = await Sender([], new Uri("https://zakaz.example.ru/")).BuildAsync(Day);

        Assert.False(digest.Sales.HasSales);
        Assert.Empty(digest.Spend);
        Assert.Null(digest.Plan);
        Assert.Equal(
            """
            Итоги за 05.12.2026 (сб), время московское

            Продаж не было. 04.12: продаж не было; 28.11: продаж не было.

            Реклама: площадки не подключены.
            ROMI по городам за 29.11–05.12: расходов по городам нет.

            Мероприятий под угрозой нет.

            План на декабрь 2026: план не загружен.

            Данные: ни один источник ещё не загружался.
            Дашборд: https://zakaz.example.ru/
            """.ReplaceLineEndings("\n"), message.Body);
    }

    [Fact]
    public async Task Spend_a_platform_has_not_reported_yet_reads_as_not_loaded_and_the_roi_period_ends_the_day_before()
    {
        await SeedAsync();
        await Store.ExecuteAsync("ALTER TABLE zakaz.dm_ads_daily DELETE WHERE source = 'yandex_direct' AND stat_date = {d:Date}",
            new QueryParameters().Add("d", Day));

        var (digest, message) = await Sender([]).BuildAsync(Day);

        Assert.Equal([new PlatformSpend("vk_ads", 105_000m), new PlatformSpend("yandex_direct", null)], digest.Spend);
        Assert.Equal((Day.AddDays(-7), Day.AddDays(-1)), (digest.Roi.From, digest.Roi.To));
        Assert.Contains("  Яндекс Директ: ещё не загружено", message.Body.Split('\n'));
        Assert.Contains("Расход на рекламу: не всё загружено", message.Body.Split('\n'));
    }

    [Fact]
    public async Task The_data_line_names_each_late_source_with_its_light_and_last_successful_load()
    {
        // bi.v_ops_freshness measures lag against the store's clock, so the runs are dated from the real now.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 60 * 60);
        var vkLoaded = now.AddHours(-3);
        await RecordRunAsync("qtickets.orders", now.AddMinutes(-10), ok: true);
        await RecordRunAsync("vk_ads.daily", vkLoaded, ok: true);
        await RecordRunAsync("yandex_direct.daily", now.AddMinutes(-20), ok: false);

        var (digest, message) = await Sender([]).BuildAsync(Day);

        Assert.Equal([("qtickets", "green"), ("vk_ads", "amber"), ("yandex_direct", "red")], digest.Health.Select(h => (h.Source, h.Status)));
        Assert.Equal($"Данные: VK Реклама — жёлтый, последняя успешная загрузка {RussianFormat.MoscowTime(vkLoaded)}; " +
            "Яндекс Директ — красный, ни одной успешной загрузки.", message.Body.Split('\n')[^1]);
    }

    [Fact]
    public async Task The_scheduled_digest_goes_once_per_date_even_from_a_new_sender_after_a_restart()
    {
        var telegram = new DigestRecordingChannel("telegram");

        var first = await Sender([telegram]).SendDueAsync();
        // A restart: a new sender, new channel objects, the same store.
        var again = new DigestRecordingChannel("telegram");
        var second = await Sender([again]).SendDueAsync();

        Assert.Equal(["telegram"], first.Channels.Select(c => c.Channel));
        Assert.Empty(second.Channels);
        Assert.Single(telegram.Received);
        Assert.Empty(again.Received);
        Assert.Equal($"ok\t1\t{Day:yyyy-MM-dd}", await RunsAsync());

        _clock.Advance(TimeSpan.FromDays(1));
        await Sender([again]).SendDueAsync();

        Assert.Equal("Zakaz: итоги 06.12.2026", Assert.Single(again.Received).Subject);
    }

    [Fact]
    public async Task A_channel_that_throws_is_recorded_the_other_gets_the_digest_and_the_retry_reaches_only_the_failed_one()
    {
        var telegram = new DigestRecordingChannel("telegram") { FailWith = "Telegram refused the message: chat not found (400)" };
        var email = new DigestRecordingChannel("email");

        var failure = await Assert.ThrowsAsync<DigestDeliveryException>(() => Sender([telegram, email]).SendDueAsync());

        Assert.Equal([new ChannelDelivery("telegram", "Telegram refused the message: chat not found (400)"), new ChannelDelivery("email", null)],
            failure.Delivery.Channels);
        Assert.Single(email.Received);
        var run = await Store.QueryAsync($"SELECT toString(status), message, metrics FROM zakaz.meta_job_runs FINAL WHERE job = '{MorningDigestSender.Job}'");
        Assert.Equal(JobStatus.Error, run.Get<string>(0, 0));
        Assert.StartsWith("The digest of 2026-12-05 was not delivered by telegram (Telegram refused the message: chat not found (400))", run.Get<string>(0, 1));
        using (var metrics = JsonDocument.Parse(run.Get<string>(0, 2)))
        {
            Assert.Equal("2026-12-05", metrics.RootElement.GetProperty("date").GetString());
            Assert.Equal(["email"], metrics.RootElement.GetProperty("delivered").EnumerateArray().Select(e => e.GetString()));
        }

        telegram.FailWith = null;
        var retry = await Sender([telegram, email]).SendDueAsync();

        Assert.Equal(["telegram"], retry.Channels.Select(c => c.Channel));
        Assert.Single(telegram.Received);
        Assert.Single(email.Received);
    }

    [Fact]
    public async Task A_send_now_goes_to_every_channel_whatever_went_before()
    {
        var email = new DigestRecordingChannel("email");
        await Sender([email]).SendDueAsync();

        var delivery = await Sender([email]).SendAsync(Day);

        Assert.True(delivery.AllDelivered);
        Assert.Equal(2, email.Received.Count);
        Assert.Equal($"ok\t2\t{Day:yyyy-MM-dd}", await RunsAsync());
    }

    private MorningDigestSender Sender(IReadOnlyList<DigestRecordingChannel> channels, Uri? dashboard = null) =>
        new(Store, channels, dashboard, _clock);

    private async Task RecordRunAsync(string job, DateTimeOffset at, bool ok)
    {
        var run = await new JobRunLog(Store, new FakeTimeProvider(at)).StartAsync(job);
        await (ok ? run.CompleteAsync(1) : run.FailAsync("Yandex Direct answered 503"));
    }

    private async Task<string> RunsAsync()
    {
        var runs = await Store.QueryAsync($"""
            SELECT toString(any(status)), count(), any(JSONExtractString(metrics, 'date'))
            FROM zakaz.meta_job_runs FINAL WHERE job = '{MorningDigestSender.Job}'
            """);
        return string.Join('\t', runs.Rows[0].Select(v => Convert.ToString(v, CultureInfo.InvariantCulture)));
    }

    /// <summary>
    /// The 5th: Tomsk sells 1 234 567,40 ₽ for 100 000 ₽ of VK ads, Moscow 50 000 ₽ for 80 000 ₽ of Direct, 5 000 ₽ of VK
    /// spend has no city; the 4th: Tomsk 1 000 000 ₽, Direct 70 000 ₽ in Moscow; nothing a week before. Kazan's concert on the 10th sold nothing,
    /// Moscow's is sold out; Tomsk's December plan is 50 000 ₽ and 2 tickets a day,
    /// Moscow's 200 000 ₽ and 10 tickets on the 5th.
    /// </summary>
    private async Task SeedAsync()
    {
        await Store.ExecuteAsync("""
            INSERT INTO zakaz.dim_events (event_id, event_name, city, city_id, venue, start_date, end_date, is_active, deleted, _ver, _loaded_at) VALUES
                (1, 'Концерт А', 'томск', 1, '', '2026-12-20 19:00:00', '2026-12-20 22:00:00', 1, 0, 1, now()),
                (2, 'Концерт Б', 'москва', 2, '', '2026-12-08 19:00:00', '2026-12-08 22:00:00', 1, 0, 1, now()),
                (3, 'Концерт В', 'казань', 3, '', '2026-12-10 19:00:00', '2026-12-10 22:00:00', 1, 0, 1, now())
            """);
        await Store.ExecuteAsync("""
            INSERT INTO zakaz.fact_qtickets_inventory_latest (snapshot_ts, event_id, event_name, city, tickets_total, tickets_left, _ver) VALUES
                ('2026-12-06 08:00:00', 1, 'Концерт А', 'томск', 500, 300, 1),
                ('2026-12-06 08:00:00', 2, 'Концерт Б', 'москва', 200, 0, 1),
                ('2026-12-06 08:00:00', 3, 'Концерт В', 'казань', 100, 100, 1)
            """);
        await Store.ExecuteAsync("""
            INSERT INTO zakaz.fact_qtickets_sales_daily (sales_date, event_id, city, orders, tickets_sold, revenue, refunded_amount, _ver, _loaded_at) VALUES
                ('2026-12-05', 1, 'томск', 10, 20, 1234567.40, 0, 1, now()),
                ('2026-12-05', 2, 'москва', 5, 5, 50000, 0, 1, now()),
                ('2026-12-04', 1, 'томск', 8, 16, 1000000, 0, 1, now())
            """);
        await Store.ExecuteAsync("""
            INSERT INTO zakaz.dm_ads_daily (stat_date, source, city, event_id, campaign_id, campaign_name, utm_source, utm_campaign, impressions, clicks, spend, _ver, _loaded_at) VALUES
                ('2026-12-05', 'vk_ads', 'томск', 1, 11, 'tomsk', 'vk', 'tomsk', 10000, 100, 100000, 1, now()),
                ('2026-12-05', 'vk_ads', 'unknown', 0, 12, 'promo', 'vk', 'promo', 1000, 10, 5000, 1, now()),
                ('2026-12-05', 'yandex_direct', 'москва', 2, 21, 'moscow', 'yandex', 'moscow', 8000, 80, 80000, 1, now()),
                ('2026-12-04', 'yandex_direct', 'москва', 2, 21, 'moscow', 'yandex', 'moscow', 7000, 70, 70000, 1, now())
            """);
        await Store.ExecuteAsync("""
            INSERT INTO zakaz.plan_sales (sales_date, event_id, city, plan_tickets, plan_revenue, _ver, _loaded_at)
            SELECT toDate('2026-12-01') + number, 1, 'томск', 2, 50000, 1, now() FROM numbers(31)
            """);
        await Store.ExecuteAsync("""
            INSERT INTO zakaz.plan_sales (sales_date, event_id, city, plan_tickets, plan_revenue, _ver, _loaded_at) VALUES
                ('2026-12-05', 2, 'москва', 10, 200000, 1, now())
            """);
    }
}
