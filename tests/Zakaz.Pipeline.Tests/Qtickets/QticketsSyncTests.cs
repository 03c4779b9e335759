using System.Text.Json.Nodes;
using Zakaz.Pipeline.Qtickets;
using Zakaz.Pipeline.Sync;
using Zakaz.Sources.Qtickets;
using Zakaz.Storage;
using Zakaz.Storage.Migrations;
using Zakaz.Testing;

namespace Zakaz.Pipeline.Tests.Qtickets;

/// <summary>The Qtickets sync over the shared fixtures (through the offline fixture client) into the real schema.</summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class QticketsSyncTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private static readonly string Fixtures = Path.Combine(AppContext.BaseDirectory, "Fixtures", "Qtickets");
    private static readonly TimeSpan Msk = TimeSpan.FromHours(3);
    private static readonly DateTimeOffset BeforeFixtures = new(2025, 10, 1, 0, 0, 0, Msk);

    private readonly QticketsOptions _options = new() { BuyerKeySecret = "a test buyer key secret of enough bytes" };
    private readonly StringWriter _progressText = new();

    private string[] Reported => _progressText.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

    public Task InitializeAsync() => schema.ResetDataAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_backfill_of_the_fixtures_gives_the_expected_summary_and_moves_the_watermark()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);

        var result = await Sync(client).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });

        Assert.Equal(ExpectedSalesByDay(), await SalesByDay());
        Assert.Equal("6\t10\t15900.00", await Text("SELECT sum(orders), sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily"));
        Assert.True(result.SortIgnored);
        Assert.Equal(7, result.Rows[QticketsTables.Orders]);
        Assert.Equal(result.Watermark?.ToString("O", CultureInfo.InvariantCulture), await Watermark());
        Assert.Equal("ok", await Text("SELECT status FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders'"));
        Assert.Contains("\"rebuilt_dates\"", await Text("SELECT metrics FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders'"));
    }

    [Fact]
    public async Task Syncing_the_same_window_again_changes_nothing_a_reader_sees()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);
        await Sync(client).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });
        var totals = await SalesByDay();
        var counts = await StagingCounts();

        await Sync(client).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });

        Assert.Equal(totals, await SalesByDay());
        Assert.Equal(counts, await StagingCounts());
        Assert.Equal("7\t13\t2\t4", counts);
    }

    [Fact]
    public async Task A_run_that_dies_mid_stream_records_an_error_keeps_the_watermark_and_the_next_run_completes()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);
        var time = TestClock.At(new DateTimeOffset(2025, 11, 20, 12, 0, 0, Msk));

        var failure = await Assert.ThrowsAsync<QticketsSyncException>(() => Sync(new FailingQticketsSource(client), time).RunAsync(new QticketsSyncRequest()));

        Assert.Contains("connection reset", failure.Message);
        Assert.Equal($"error\t{failure.Message}", await Text("SELECT status, message FROM zakaz.meta_job_runs FINAL WHERE job = 'qtickets.orders'"));
        Assert.Equal("", await Watermark());
        Assert.Equal("0", await Text("SELECT count() FROM zakaz.stg_qtickets_api_orders_raw"));

        await Sync(client, time).RunAsync(new QticketsSyncRequest());

        Assert.Equal(ExpectedSalesByDay(), await SalesByDay());
        Assert.NotEqual("", await Watermark());
    }

    [Fact]
    public async Task A_refund_arriving_later_lowers_the_original_sale_date()
    {
        using (var client = QticketsClient.ForFixtures(Fixtures))
        {
            await Sync(client, TestClock.At(new DateTimeOffset(2025, 11, 19, 12, 0, 0, Msk))).RunAsync(new QticketsSyncRequest());
        }
        var refunded = new DateTimeOffset(2025, 11, 20, 15, 0, 0, Msk);
        var later = FixturesWith(order: 5000002, basket: 60000002, refunded, amount: 2500m);
        try
        {
            using var client = QticketsClient.ForFixtures(later);
            var result = await Sync(client, TestClock.At(new DateTimeOffset(2025, 11, 21, 9, 0, 0, Msk))).RunAsync(new QticketsSyncRequest());

            Assert.Equal(1, result.Rows[QticketsTables.Orders]);
            Assert.Equal([new DateOnly(2025, 11, 2)], result.RebuiltDates);
            Assert.Equal("1\t3\t5500.00", await Text("SELECT orders, tickets_sold, toDecimalString(revenue, 2) FROM bi.v_sales_daily WHERE d = '2025-11-02'"));
            Assert.Equal("6\t9\t13400.00", await Text("SELECT sum(orders), sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily"));
        }
        finally
        {
            Directory.Delete(later, recursive: true);
        }
    }

    [Fact]
    public async Task Inventory_of_upcoming_shows_becomes_the_latest_per_event()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);

        await Sync(client, TestClock.At(new DateTimeOffset(2025, 11, 10, 12, 0, 0, Msk))).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });

        var expected = await client.GetShowSeatsAsync(910001);
        Assert.NotNull(expected);
        Assert.Equal($"900001\tновосибирск\t{expected.Value.Capacity}\t{expected.Value.Left}",
            await Text("SELECT event_id, city, tickets_total, tickets_left FROM zakaz.fact_qtickets_inventory_latest FINAL WHERE tickets_total IS NOT NULL"));
        // Show 910002 is deleted and event 900002 too: only 910001 and 910003 get a snapshot.
        Assert.Contains("Qtickets: inventory of 2 of 2 upcoming show(s)", Reported);
        Assert.Equal("2", await Text("SELECT count() FROM zakaz.stg_qtickets_api_inventory_raw FINAL"));
    }

    [Fact]
    public async Task A_dry_run_reads_and_transforms_but_writes_nothing()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);

        var result = await Sync(client).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures, DryRun = true });

        Assert.Equal(7, result.Rows[QticketsTables.Orders]);
        Assert.Equal(13, result.Rows[QticketsTables.Tickets]);
        Assert.Contains(new DateOnly(2025, 11, 2), result.RebuiltDates);
        Assert.NotEmpty(result.Samples);
        Assert.DoesNotContain(result.Samples, s => s.Contains('@'));
        Assert.Equal("0\t0\t0\t0", await Text("""
            SELECT (SELECT count() FROM zakaz.stg_qtickets_api_orders_raw), (SELECT count() FROM zakaz.dim_events),
                   (SELECT count() FROM zakaz.meta_job_runs), (SELECT count() FROM zakaz.meta_watermarks) + (SELECT count() FROM zakaz.meta_secrets)
            """));
    }

    [Fact]
    public async Task Without_a_configured_secret_buyer_keys_come_from_one_stored_per_store_secret()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);
        var sync = new QticketsSync(schema.Store, client, new QticketsOptions());

        await sync.RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });
        var keys = await Text("SELECT groupArray(buyer_key) FROM (SELECT buyer_key FROM zakaz.stg_qtickets_api_orders_raw FINAL ORDER BY order_id)");
        await sync.RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });

        Assert.Equal(keys, await Text("SELECT groupArray(buyer_key) FROM (SELECT buyer_key FROM zakaz.stg_qtickets_api_orders_raw FINAL ORDER BY order_id)"));
        Assert.Equal("1", await Text("SELECT count() FROM zakaz.meta_secrets FINAL WHERE name = 'buyer_key_secret'"));
        Assert.Equal("0", await Text("SELECT count() FROM zakaz.meta_watermarks WHERE stream = 'buyer_key_secret'"));
    }

    [Fact]
    public async Task A_buyer_key_secret_an_earlier_version_stored_in_clear_keeps_every_buyer_key_and_is_sealed_with_no_clear_copy_left()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);
        await Sync(client).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });
        var configuredKeys = await BuyerKeys();
        await schema.ResetDataAsync();
        // The same secret as the configured one, as the previous version kept it: hex, in clear.
        var clear = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(_options.BuyerKeySecret!));
        await KeptByAnEarlierVersionAsync(clear);

        await new QticketsSync(schema.Store, client, new QticketsOptions()).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });
        // Every row a reader of the tables finds, not only the latest version.
        var stored = await Text("SELECT value FROM zakaz.meta_secrets WHERE name = 'buyer_key_secret'");

        Assert.Equal(configuredKeys, await BuyerKeys());
        Assert.StartsWith(StoreSecrets.SealedPrefix, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(clear, stored, StringComparison.Ordinal);
        Assert.DoesNotContain("\n", stored, StringComparison.Ordinal); // one row: the clear ones are gone
        Assert.Equal("0", await Text("SELECT count() FROM zakaz.meta_watermarks WHERE stream = 'buyer_key_secret'"));
    }

    [Fact]
    public async Task A_buyer_key_secret_sealed_in_the_watermarks_by_an_earlier_version_moves_to_meta_secrets_and_keeps_every_buyer_key()
    {
        using var client = QticketsClient.ForFixtures(Fixtures);
        await Sync(client).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });
        var configuredKeys = await BuyerKeys();
        await schema.ResetDataAsync();
        // The configured secret as the previous version kept it: hex, sealed for its row of meta_watermarks.
        var hex = Convert.ToHexStringLower(System.Text.Encoding.UTF8.GetBytes(_options.BuyerKeySecret!));
        await KeptByAnEarlierVersionAsync(schema.Store.Secrets.Seal(hex, "zakaz.meta_watermarks.value of zakaz/buyer_key_secret"));

        await new QticketsSync(schema.Store, client, new QticketsOptions()).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });
        await new QticketsSync(schema.Store, client, new QticketsOptions()).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });

        Assert.Equal(configuredKeys, await BuyerKeys());
        Assert.Equal("1", await Text("SELECT count() FROM zakaz.meta_secrets WHERE name = 'buyer_key_secret'"));
        Assert.Equal("0", await Text("SELECT count() FROM zakaz.meta_watermarks WHERE stream = 'buyer_key_secret'"));
    }

    /// <summary>The secret where versions before migration 0015 kept it, then the migration run over it.</summary>
    private async Task KeptByAnEarlierVersionAsync(string value)
    {
        await schema.Store.ExecuteAsync(
            "INSERT INTO zakaz.meta_watermarks (source, stream, value, updated_at, _ver) VALUES ('zakaz', 'buyer_key_secret', {value:String}, now(), 1)",
            new QueryParameters().Add("value", value));
        foreach (var statement in MigrationSet.Embedded().Migrations.Single(m => m.Version == 15).Statements)
        {
            await schema.Store.ExecuteAsync(statement.Text);
        }
    }

    [Fact]
    public async Task Event_cities_are_resolved_through_the_alias_table_and_unknown_names_are_kept_lower_cased()
    {
        var directory = CopyOfFixtures();
        try
        {
            var eventsPath = Path.Combine(directory, "events_page1.json");
            var page = JsonNode.Parse(File.ReadAllText(eventsPath))!;
            var events = page["data"]!.AsArray();
            events[0]!["city"]!["name"] = "  Piter ";
            events[1]!["city"]!["name"] = "Тьмутаракань";
            File.WriteAllText(eventsPath, page.ToJsonString());
            using var client = QticketsClient.ForFixtures(directory);

            await Sync(client).RunAsync(new QticketsSyncRequest { Since = BeforeFixtures });

            Assert.Equal("900001\tсанкт-петербург\n900002\tтьмутаракань", await Text("SELECT event_id, city FROM zakaz.dim_events FINAL ORDER BY event_id"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private QticketsSync Sync(IQticketsSource source, TimeProvider? time = null) =>
        new(schema.Store, source, _options, new ProgressLines<SyncProgress>(_progressText), time);

    private Task<string> Text(string sql) => PipelineQueries.TextAsync(schema.Store, sql);

    private Task<string> BuyerKeys() =>
        Text("SELECT groupArray(buyer_key) FROM (SELECT buyer_key FROM zakaz.stg_qtickets_api_orders_raw FINAL ORDER BY order_id)");

    private Task<string> Watermark() =>
        Text("SELECT value FROM zakaz.meta_watermarks FINAL WHERE source = 'qtickets' AND stream = 'orders'");

    private Task<string> SalesByDay() =>
        Text("SELECT d, sum(orders), sum(tickets_sold), toDecimalString(sum(revenue), 2) FROM bi.v_sales_daily GROUP BY d ORDER BY d");

    private Task<string> StagingCounts() => Text("""
        SELECT (SELECT count() FROM zakaz.stg_qtickets_api_orders_raw FINAL), (SELECT count() FROM zakaz.stg_qtickets_api_tickets_raw FINAL),
               (SELECT count() FROM zakaz.dim_events FINAL), (SELECT count() FROM zakaz.dim_shows FINAL)
        """);

    private static string ExpectedSalesByDay()
    {
        using var summary = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixtures, "expected_summary.json")));
        return string.Join('\n', summary.RootElement.GetProperty("by_sale_date").EnumerateObject().OrderBy(d => d.Name, StringComparer.Ordinal)
            .Select(d => $"{d.Name}\t{d.Value.GetProperty("orders")}\t{d.Value.GetProperty("tickets")}\t{d.Value.GetProperty("revenue").GetString()}"));
    }

    /// <summary>A copy of the fixtures in which one basket was refunded later: the order's next version.</summary>
    private static string FixturesWith(long order, long basket, DateTimeOffset refunded, decimal amount)
    {
        var directory = CopyOfFixtures();
        var pagePath = Path.Combine(directory, "orders_page1.json");
        var page = JsonNode.Parse(File.ReadAllText(pagePath))!;
        var changed = page["data"]!.AsArray().Single(o => o!["id"]!.GetValue<long>() == order)!;
        var at = refunded.ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture);
        changed["updated_at"] = at;
        var refundedBasket = changed["baskets"]!.AsArray().Single(b => b!["id"]!.GetValue<long>() == basket)!;
        refundedBasket["refunded_at"] = at;
        refundedBasket["refunded_amount"] = amount;
        File.WriteAllText(pagePath, page.ToJsonString());
        File.Delete(Path.Combine(directory, "order_single.json"));
        return directory;
    }

    private static string CopyOfFixtures()
    {
        var directory = Directory.CreateTempSubdirectory("zakaz-qtickets-").FullName;
        foreach (var file in Directory.EnumerateFiles(Fixtures))
        {
            File.Copy(file, Path.Combine(directory, Path.GetFileName(file)));
        }
        return directory;
    }
}
