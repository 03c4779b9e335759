using Zakaz.Pipeline.Qtickets;
using Zakaz.Sandbox.Qtickets;
using Zakaz.Sources.Qtickets;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests.Qtickets;

/// <summary>The sync end to end over real HTTP against the Qtickets sandbox, checked against its ground truth.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class QticketsSandboxSyncTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly DateTimeOffset Anchor = new(2025, 12, 1, 12, 0, 0, TimeSpan.FromHours(3));

    // A promoter with an event whose last show ended about ten days before the anchor.
    private const int Seed = 30;
    private static readonly QticketsSyncRequest Backfill = new() { Since = Anchor.AddYears(-3) };

    private readonly QticketsOptions _options = new() { BuyerKeySecret = "a test buyer key secret of enough bytes" };
    private QticketsSandbox _sandbox = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        _sandbox = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Seed = Seed, Orders = 600, Anchor = Anchor });
    }

    public async Task DisposeAsync() => await _sandbox.DisposeAsync();

    [Fact]
    public async Task A_full_backfill_equals_the_ground_truth()
    {
        using var client = Client();

        await Sync(client, Anchor).RunAsync(Backfill);

        Assert.Equal(Truth(), await SalesByDay());
    }

    [Fact]
    public async Task A_storm_of_503s_is_retried_away()
    {
        _sandbox.Faults.Fail("orders", QticketsFaultKind.ServiceUnavailable, 1, 2, 3, 5);
        _sandbox.Faults.Fail("events", QticketsFaultKind.ServiceUnavailable, 1, 2);
        using var client = Client(attempts: 5);

        await Sync(client, Anchor).RunAsync(Backfill);

        Assert.Equal(Truth(), await SalesByDay());
        Assert.True(_sandbox.Faults.FaultsFired >= 6);
    }

    [Fact]
    public async Task A_permanent_fault_fails_the_run_with_an_error_row_and_a_rerun_equals_a_clean_run()
    {
        _sandbox.Faults.Fail("orders", QticketsFaultKind.ServiceUnavailable, Enumerable.Range(3, 40).ToArray());
        using var client = Client();

        var failure = await Assert.ThrowsAsync<QticketsSyncException>(() => Sync(client, Anchor).RunAsync(new QticketsSyncRequest()));

        Assert.Contains("503", failure.Message);
        Assert.Equal("error", await Text("SELECT status FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders'"));
        Assert.Equal("", await Text("SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = 'qtickets' AND stream = 'orders'"));

        _sandbox.Faults.Clear();
        await Sync(client, Anchor).RunAsync(Backfill);

        Assert.Equal(Truth(), await SalesByDay());
    }

    [Fact]
    public async Task A_later_refund_is_reflected_after_the_next_incremental_run()
    {
        using var client = Client();
        var backfill = await Sync(client, Anchor).RunAsync(Backfill);
        // The newest sold ticket: an id scan newest first reaches it within the lookback; older orders are the reconcile's.
        var (orderId, basketId) = await NewestSoldTicketAsync();
        _sandbox.RefundBasket(orderId, basketId, Anchor.AddHours(1));

        var result = await Sync(client, Anchor.AddHours(2)).RunAsync(new QticketsSyncRequest());

        Assert.NotNull(result.Watermark);
        Assert.False(result.SortIgnored);
        Assert.True(result.OrderPages < backfill.OrderPages, $"{result.OrderPages} pages read, the backfill read {backfill.OrderPages}");
        Assert.Equal(Truth(), await SalesByDay());
    }

    [Fact]
    public async Task Dates_a_failed_run_wrote_are_rebuilt_by_the_next_run_whatever_its_window()
    {
        using var client = Client();
        await Sync(client, Anchor).RunAsync(Backfill);
        var before = await SalesByDay();
        var (orderId, basketId) = await NewestSoldTicketAsync();
        _sandbox.RefundBasket(orderId, basketId, Anchor.AddHours(1));
        // The orders are written, then every seat request fails: the run stops before its facts.
        _sandbox.Faults.Fail("shows/{id}/seats", QticketsFaultKind.ServiceUnavailable, Enumerable.Range(1, 400).ToArray());

        await Assert.ThrowsAsync<QticketsSyncException>(() => Sync(client, Anchor.AddHours(2)).RunAsync(new QticketsSyncRequest()));

        Assert.Equal("0", await Text($"SELECT count() FROM zakaz.stg_qtickets_api_tickets_raw FINAL WHERE basket_id = {basketId} AND refunded_at IS NULL"));
        Assert.Equal(before, await SalesByDay());
        Assert.NotEqual("", await Text("SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = 'qtickets' AND stream = 'pending_fact_dates'"));

        // A window that no longer holds the refunded order: only the journal brings its date back.
        _sandbox.Faults.Clear();
        await Sync(client, Anchor.AddHours(3)).RunAsync(new QticketsSyncRequest { Since = Anchor.AddHours(2), Streams = QticketsStreams.Orders });

        Assert.Equal(Truth(), await SalesByDay());
        Assert.Equal("", await Text("SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = 'qtickets' AND stream = 'pending_fact_dates'"));
    }

    [Fact]
    public async Task A_newer_webhook_stored_between_the_syncs_fetch_and_write_is_not_undone_by_its_older_copy()
    {
        // Same seed and anchor: the untouched sandbox serves every order as a sync fetched it before the refund.
        await using var fetchedBefore = await QticketsSandbox.StartAsync(new QticketsSandboxOptions { Seed = Seed, Orders = 600, Anchor = Anchor });
        using var client = Client();
        await Sync(client, Anchor).RunAsync(Backfill);
        var (orderId, basketId) = await NewestSoldTicketAsync();
        _sandbox.RefundBasket(orderId, basketId, Anchor.AddHours(1));

        var refunded = await client.GetOrderAsync(orderId) ?? throw new InvalidOperationException($"No order {orderId}.");
        Assert.True(await new QticketsOrderWriter(schema.Store, _options).WriteOneAsync(refunded, Anchor.AddHours(2)));
        using var stale = QticketsSource.Create(new QticketsClientOptions { BaseUrl = fetchedBefore.BaseUrl, Token = fetchedBefore.Token });
        await Sync(stale, Anchor.AddHours(3)).RunAsync(Backfill);

        Assert.Equal(Anchor.AddHours(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            await Text($"SELECT toUnixTimestamp(updated_at) FROM zakaz.stg_qtickets_api_orders_raw FINAL WHERE order_id = {orderId}"));
        Assert.Equal(Truth(), await SalesByDay());
    }

    [Fact]
    public async Task A_reconcile_catches_a_refund_of_an_old_order_of_an_event_with_future_shows()
    {
        using var client = Client();
        await Sync(client, Anchor).RunAsync(Backfill);
        // The oldest sold ticket of an event still on sale: far below what an id scan newest first reaches.
        var sold = await Text($"""
            SELECT t.order_id, t.basket_id FROM zakaz.stg_qtickets_api_tickets_raw AS t FINAL
            INNER JOIN (SELECT order_id FROM zakaz.stg_qtickets_api_orders_raw FINAL WHERE payed = 1 AND deleted_at IS NULL) AS o ON o.order_id = t.order_id
            WHERE t.deleted_at IS NULL AND t.refunded_at IS NULL
              AND t.event_id IN (SELECT event_id FROM zakaz.dim_shows FINAL WHERE deleted = 0 AND finish_ts > toDateTime({Anchor.ToUnixTimeSeconds()}))
            ORDER BY t.order_id, t.basket_id LIMIT 1
            """);
        var ids = sold.Split('\t').Select(long.Parse).ToArray();
        _sandbox.RefundBasket(ids[0], ids[1], Anchor.AddHours(1));

        var result = await Sync(client, Anchor.AddHours(2)).RunAsync(new QticketsSyncRequest { Reconcile = true });

        Assert.Null(result.Watermark);
        Assert.Equal(Truth(), await SalesByDay());
    }

    [Fact]
    public async Task Where_the_API_honours_updated_at_the_incremental_run_reads_a_late_refund_of_an_old_order_at_once()
    {
        using var client = Client();
        var backfill = await Sync(client, Anchor).RunAsync(Backfill);
        var (_, orderId, basketId) = RefundOldOrder();

        var result = await Sync(client, Anchor.AddHours(2)).RunAsync(new QticketsSyncRequest { Streams = QticketsStreams.Orders });

        Assert.Equal(("honoured", "updated_at_filter"), (result.UpdatedAtFilter, result.OrdersRead));
        Assert.True(result.OrderPages < backfill.OrderPages, $"{result.OrderPages} pages read, the backfill read {backfill.OrderPages}");
        Assert.Equal(Truth(), await SalesByDay());
        Assert.Equal("0", await Text($"SELECT count() FROM zakaz.stg_qtickets_api_tickets_raw FINAL WHERE order_id = {orderId} AND basket_id = {basketId} AND refunded_at IS NULL"));
        Assert.Contains("\"updated_at_filter\":\"honoured\"", await Text("SELECT metrics FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders' ORDER BY started_at DESC, _ver DESC LIMIT 1"));
    }

    [Fact]
    public async Task Where_the_API_ignores_filters_the_incremental_run_falls_back_says_so_and_the_reconcile_catches_the_refund()
    {
        _sandbox.Faults.IgnoreFilters = true;
        using var client = Client();
        var backfill = await Sync(client, Anchor).RunAsync(Backfill);
        var (eventId, _, _) = RefundOldOrder();

        var incremental = await Sync(client, Anchor.AddHours(2)).RunAsync(new QticketsSyncRequest { Streams = QticketsStreams.Orders });

        // Oldest first and unfiltered, the newest orders are read from the last page back to the window's start: the old order is not among them.
        Assert.Equal(("ignored", "backwards_from_last_page", true), (incremental.UpdatedAtFilter, incremental.OrdersRead, incremental.SortIgnored));
        Assert.True(incremental.OrderPages < backfill.OrderPages / 2, $"{incremental.OrderPages} pages read, the backfill read {backfill.OrderPages}");
        Assert.NotEqual(Truth(), await SalesByDay());
        Assert.Contains("\"updated_at_filter\":\"ignored\"", await Text("SELECT metrics FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders' ORDER BY started_at DESC, _ver DESC LIMIT 1"));

        var reconcile = await Sync(client, Anchor.AddHours(3)).RunAsync(new QticketsSyncRequest { Streams = QticketsStreams.Orders, Reconcile = true });

        Assert.Equal(Truth(), await SalesByDay());
        Assert.Null(reconcile.Watermark);
        Assert.True(reconcile.ReconciledEvents > 0);
        Assert.Equal("ok", await Text("SELECT status FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.reconcile'"));
        Assert.Contains($"{eventId}", await Text("SELECT arrayStringConcat(groupArray(toString(event_id)), ',') FROM zakaz.stg_qtickets_api_orders_raw FINAL"));
    }

    [Fact]
    public async Task An_event_whose_last_show_ended_beyond_the_reconcile_days_is_left_to_the_full_reconcile()
    {
        using var client = Client();
        await Sync(client, Anchor).RunAsync(Backfill);
        var (_, eventEnd, orderId, basketId) = _sandbox.OldestSoldTicketOfEventEnded(TimeSpan.FromDays(10));
        _sandbox.RefundBasket(orderId, basketId, Anchor.AddHours(1));
        var days = (int)(Anchor - eventEnd).TotalDays - 1;

        var recent = await new QticketsSync(schema.Store, client, new QticketsOptions { BuyerKeySecret = _options.BuyerKeySecret, ReconcileDays = days },
            time: TestClock.At(Anchor.AddHours(2))).RunAsync(new QticketsSyncRequest { Streams = QticketsStreams.Orders, Reconcile = true });
        var stillWrong = await SalesByDay();
        var full = await Sync(client, Anchor.AddHours(3)).RunAsync(new QticketsSyncRequest { Streams = QticketsStreams.Orders, Reconcile = true, AllOrders = true });

        Assert.NotEqual(Truth(), stillWrong);
        Assert.Equal(Truth(), await SalesByDay());
        Assert.Null(full.ReconciledEvents);
        Assert.InRange(recent.ReconciledEvents ?? 0, 1, _sandbox.EventCount - 1);
        Assert.Equal("qtickets.reconcile\tok\nqtickets.reconcile_full\tok", await Text("SELECT job, status FROM zakaz.meta_job_runs FINAL WHERE job LIKE 'qtickets.reconcile%' ORDER BY job"));
    }

    /// <summary>Refunds, an hour after the anchor, the oldest sold ticket of the event whose last show ended about ten days before it.</summary>
    private (int EventId, long OrderId, long BasketId) RefundOldOrder()
    {
        var (eventId, eventEnd, orderId, basketId) = _sandbox.OldestSoldTicketOfEventEnded(TimeSpan.FromDays(10));
        Assert.InRange((Anchor - eventEnd).TotalDays, 7, 13);
        _sandbox.RefundBasket(orderId, basketId, Anchor.AddHours(1));
        return (eventId, orderId, basketId);
    }

    private async Task<(long OrderId, long BasketId)> NewestSoldTicketAsync()
    {
        var sold = await Text("""
            SELECT t.order_id, t.basket_id FROM zakaz.stg_qtickets_api_tickets_raw AS t FINAL
            INNER JOIN (SELECT order_id FROM zakaz.stg_qtickets_api_orders_raw FINAL WHERE payed = 1 AND deleted_at IS NULL) AS o ON o.order_id = t.order_id
            WHERE t.deleted_at IS NULL AND t.refunded_at IS NULL
            ORDER BY t.order_id DESC, t.basket_id LIMIT 1
            """);
        var ids = sold.Split('\t').Select(long.Parse).ToArray();
        return (ids[0], ids[1]);
    }

    private QticketsClient Client(int attempts = 3) => QticketsSource.Create(new QticketsClientOptions
    {
        BaseUrl = _sandbox.BaseUrl,
        Token = _sandbox.Token,
        MaxAttempts = attempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(10),
        RetryMaxDelay = TimeSpan.FromMilliseconds(50),
    });

    private QticketsSync Sync(IQticketsSource source, DateTimeOffset now) => new(schema.Store, source, _options, time: TestClock.At(now));

    private Task<string> Text(string sql) => PipelineQueries.TextAsync(schema.Store, sql);

    private Task<string> SalesByDay() =>
        Text("SELECT d, sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily GROUP BY d ORDER BY d");

    private string Truth() => string.Join('\n', _sandbox.Truth.BySaleDate.Where(d => d.Value.Tickets > 0).OrderBy(d => d.Key).Select(d =>
        string.Create(CultureInfo.InvariantCulture, $"{d.Key:yyyy-MM-dd}\t{d.Value.Tickets}\t{d.Value.Revenue:0.00}")));
}
