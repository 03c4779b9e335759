using System.Net;
using MiniExcelLibs;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Quality;
using Zakaz.Pipeline.Runs;
using Zakaz.Pipeline.Tests;
using Zakaz.Testing;

namespace Zakaz.Web.Tests;

/// <summary>
/// The Marketing, Plan, Data health, filters and CSV endpoints over <see cref="SampleData"/>: the
/// expected figures are worked out by hand from its rows in the comments.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class DashboardApiTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private const string Range = "from=2026-03-10&to=2026-03-11";

    private Dashboard _dashboard = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        await SampleData.LoadAsync(schema.Store);
        _dashboard = await Dashboard.StartAsync(schema.Store);
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Marketing_kpis_are_ratios_of_the_sums()
    {
        var answer = await _dashboard.GetJsonAsync("/api/marketing/kpis?" + Range);

        // Spend 1000 + 500 = 1500 against revenue 3600 from 4 orders; nothing in the previous period.
        Assert.Equal(1500m, Kpi(answer, "spend").GetProperty("value").GetDecimal());
        Assert.Equal(3600m, Kpi(answer, "revenue").GetProperty("value").GetDecimal());
        Assert.Equal(2.4m, Kpi(answer, "roas").GetProperty("value").GetDecimal());
        Assert.Equal(1.4m, Kpi(answer, "romi").GetProperty("value").GetDecimal());
        Assert.Equal(375m, Kpi(answer, "cpo").GetProperty("value").GetDecimal());
        Assert.Equal(JsonValueKind.Null, Kpi(answer, "roas").GetProperty("previous").ValueKind);
        Assert.Equal(JsonValueKind.Null, Kpi(answer, "spend").GetProperty("changePct").ValueKind);
        // Untagged revenue 800 + 600 of 3600; spend under 'unknown' 500 of 1500.
        Assert.Equal(0.3889m, answer.GetProperty("revenueWithoutUtmShare").GetDecimal());
        Assert.Equal(500m, answer.GetProperty("spendWithoutCity").GetDecimal());
        Assert.Equal(0.3333m, answer.GetProperty("spendWithoutCityShare").GetDecimal());
    }

    [Fact]
    public async Task Marketing_daily_cities_and_campaigns()
    {
        Assert.Equal(
            ["2026-03-10|1000|2300", "2026-03-11|500|1300"],
            Rows(await _dashboard.GetJsonAsync("/api/marketing/daily?" + Range), "d", "spend", "revenue"));
        // Москва: 1000 spend, 2800 revenue, 3 orders: ROAS 2.8 (green), ROMI 1.8, CPO 333.33.
        // unknown: 500 spend and no sales: ROAS 0 (red). Санкт-Петербург: no spend, so no ROAS, ROMI or light, and CPO 0.
        Assert.Equal(
            ["москва|1000|2800|3|2.8|1.8|333.33|green", "unknown|500|0|0|0|-1||red", "санкт-петербург|0|800|1|||0|"],
            Rows(await _dashboard.GetJsonAsync("/api/marketing/cities?" + Range), "city", "spend", "revenue", "orders", "roas", "romi", "cpo", "light"));
        // vk/spring: 1000 spend, 50 clicks, orders 1 and 3 (2200). vk/other: 500 spend, 10 clicks. Untagged: orders 2 and 4,
        // which no platform carries, so their CPO is unknown rather than 0.
        Assert.Equal(
            ["vk|spring|1000|50|2|2200|2.2|1.2|500", "vk|other|500|10|0|0|0|-1|", "||||2|1400|||"],
            Rows(await _dashboard.GetJsonAsync("/api/marketing/campaigns?" + Range), "source", "campaign", "spend", "clicks", "orders", "revenue", "roas", "romi", "cpo"));
    }

    [Fact]
    public async Task Sales_by_city_event_and_detail()
    {
        Assert.Equal(
            ["москва|3|5|2800", "санкт-петербург|1|1|800"],
            Rows(await _dashboard.GetJsonAsync("/api/sales/cities?" + Range), "city", "orders", "tickets", "revenue"));
        Assert.Equal(
            ["1|Концерт А|москва|2|3|2200", "2|Концерт Б|санкт-петербург|1|1|800", "3|Концерт В|москва|1|2|600"],
            Rows(await _dashboard.GetJsonAsync("/api/sales/events?" + Range), "eventId", "eventName", "city", "orders", "tickets", "revenue"));
        Assert.Equal(
            ["2026-03-11|1|700", "2026-03-11|3|600", "2026-03-10|1|1500", "2026-03-10|2|800"],
            Rows(await _dashboard.GetJsonAsync("/api/sales/detail?" + Range), "d", "eventId", "revenue"));
        Assert.Equal(
            ["2026-03-11|1|700", "2026-03-10|1|1500"],
            Rows(await _dashboard.GetJsonAsync("/api/sales/detail?" + Range + "&event=1"), "d", "eventId", "revenue"));
    }

    [Fact]
    public async Task The_detail_comes_a_page_at_a_time_and_its_csv_has_every_row()
    {
        var second = await _dashboard.GetJsonAsync("/api/sales/detail?" + Range + "&offset=1&limit=2");
        Assert.Equal(["2026-03-11|3|600", "2026-03-10|1|1500"], Rows(second, "d", "eventId", "revenue"));
        var page = second.GetProperty("page");
        Assert.Equal((4, 1, 2), (page.GetProperty("total").GetInt32(), page.GetProperty("offset").GetInt32(), page.GetProperty("limit").GetInt32()));

        var beyond = await _dashboard.GetJsonAsync("/api/sales/detail?" + Range + "&offset=10");
        Assert.Equal(0, beyond.GetProperty("rows").GetArrayLength());
        Assert.Equal(4, beyond.GetProperty("page").GetProperty("total").GetInt32());

        var csv = await _dashboard.Http.GetStringAsync("/api/sales/detail?" + Range + "&format=csv&limit=1");
        Assert.Equal(5, csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task Plan_rows_and_the_cumulative_curve()
    {
        // Event 1 planned 3 tickets for 3000 and sold 3 for 2200: -800, -26.67 %. Events 2 and 3 had no plan.
        Assert.Equal(
            ["1|Концерт А|москва|3|3|3000|2200|-800|-0.2667", "2|Концерт Б|санкт-петербург|0|1|0|800|800|", "3|Концерт В|москва|0|2|0|600|600|"],
            Rows(await _dashboard.GetJsonAsync("/api/plan/rows?" + Range), "eventId", "eventName", "city", "planTickets", "factTickets", "planRevenue", "factRevenue", "diff", "diffPct"));
        Assert.Equal(
            ["2026-03-10|2000|2300|2|3", "2026-03-11|3000|3600|3|6", "2026-03-12|3000|3600|3|6"],
            Rows(await _dashboard.GetJsonAsync("/api/plan/cumulative?from=2026-03-10&to=2026-03-12"), "d", "planRevenueCum", "factRevenueCum", "planTicketsCum", "factTicketsCum"));
    }

    [Fact]
    public async Task Csv_has_the_same_rows_and_columns_as_the_table_as_russian_excel_reads_it()
    {
        var table = await _dashboard.GetJsonAsync("/api/marketing/cities?" + Range);
        using var response = await _dashboard.Http.GetAsync("/api/marketing/cities?format=csv&" + Range + "&city=" + Uri.EscapeDataString("москва"));
        var all = await _dashboard.GetJsonAsync("/api/marketing/cities?city=" + Uri.EscapeDataString("москва") + "&" + Range);

        Assert.Equal("text/csv; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        // The file name says the table, period and filters; ASCII for old clients, the real name as RFC 5987 filename*.
        var disposition = response.Content.Headers.ContentDisposition!;
        Assert.Equal("attachment", disposition.DispositionType);
        Assert.Equal("marketing-cities_2026-03-10_2026-03-11_______.csv", disposition.FileName?.Trim('"'));
        Assert.Equal("marketing-cities_2026-03-10_2026-03-11_москва.csv", disposition.FileNameStar);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(string.Join(';', all.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("title").GetString())), lines[0]);
        var keys = all.GetProperty("columns").EnumerateArray().Select(c => c.GetProperty("key").GetString()!).ToArray();
        Assert.NotEmpty(all.GetProperty("rows").EnumerateArray());
        // Russian Excel's dialect: ';' between fields and a decimal comma.
        Assert.Equal(Rows(all, keys).Select(r => r.Replace('.', ',').Replace('|', ';')), lines.Skip(1));
        Assert.True(table.GetProperty("rows").GetArrayLength() >= all.GetProperty("rows").GetArrayLength());
    }

    [Fact]
    public async Task Csv_writes_dates_as_russian_dates_and_xlsx_has_typed_cells_under_a_row_naming_the_filters()
    {
        var csv = await _dashboard.Http.GetStringAsync("/api/sales/daily?format=csv&" + Range);
        Assert.Equal(["Дата;Заказы;Билеты;Выручка (₽);Неполный день", "10.03.2026;2;3;2300;нет", "11.03.2026;2;3;1300;нет"], csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries));

        using var response = await _dashboard.Http.GetAsync("/api/sales/daily?format=xlsx&city=" + Uri.EscapeDataString("москва") + "&event=1&" + Range);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("sales-daily_2026-03-10_2026-03-11_москва_event-1.xlsx", response.Content.Headers.ContentDisposition!.FileNameStar);
        using var file = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        var rows = file.Query(useHeaderRow: false).Cast<IDictionary<string, object?>>().Select(r => r.Values.ToArray()).ToArray();
        Assert.Equal("Период: 10.03.2026 — 11.03.2026; города: Москва; события: Концерт А (Москва)", rows[0][0]);
        Assert.Equal(["Дата", "Заказы", "Билеты", "Выручка (₽)", "Неполный день"], rows[1]);
        // Event 1 sold 1500 on the 10th and 700 on the 11th (one order each).
        Assert.Equal(new DateTime(2026, 3, 10), rows[2][0]);
        Assert.Equal(1500d, Convert.ToDouble(rows[2][3], CultureInfo.InvariantCulture));
        Assert.IsType<double>(rows[2][1]);
        Assert.Equal(4, rows.Length);
    }

    [Fact]
    public async Task Csv_text_that_excel_would_run_as_a_formula_stays_text()
    {
        await SampleData.Sale(new Staging(schema.Store), 8, 2, Staging.Msk(2026, 3, 10), "vk", "=HYPERLINK(\"http://x\")", 100m);
        await new FactBuilder(schema.Store).RebuildAllAsync();

        var csv = await _dashboard.Http.GetStringAsync("/api/marketing/campaigns?format=csv&" + Range);
        // The pipeline keeps utm_campaign lower-case.
        Assert.True(csv.Contains(";\"'=hyperlink(\"\"http://x\"\")\";", StringComparison.Ordinal), csv);
        Assert.DoesNotContain(";=hyperlink", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filters_list_the_events_cities_and_dates()
    {
        var answer = await _dashboard.GetJsonAsync("/api/filters");

        Assert.Equal(["москва", "санкт-петербург"], answer.GetProperty("cities").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(["1|Концерт А|москва", "2|Концерт Б|санкт-петербург", "3|Концерт В|москва"],
            answer.GetProperty("events").EnumerateArray().Select(e => $"{e.GetProperty("id")}|{e.GetProperty("name")}|{e.GetProperty("city")}"));
        Assert.Equal("2026-03-09", answer.GetProperty("minDate").GetString());
        Assert.Equal("2026-03-11", answer.GetProperty("maxDate").GetString());
    }

    [Fact]
    public async Task Health_lists_runs_checks_and_freshness()
    {
        var log = new JobRunLog(schema.Store);
        var ok = await log.StartAsync("qtickets.orders");
        await ok.CompleteAsync(42);
        var failed = await log.StartAsync("vk_ads.daily");
        await failed.FailAsync("VK Ads answered 401: check VK_ADS_CLIENT_SECRET");
        await new QualityCheckLog(schema.Store).RunAsync();

        var runs = await _dashboard.GetJsonAsync("/api/health/runs");
        Assert.Equal(["vk_ads.daily|error|0|VK Ads answered 401: check VK_ADS_CLIENT_SECRET", "qtickets.orders|ok|42|"],
            Rows(runs, "job", "status", "rows", "message").OrderBy(r => r.StartsWith("q", StringComparison.Ordinal)));

        var sources = await _dashboard.GetJsonAsync("/api/health/sources");
        Assert.Equal(["qtickets|green", "vk_ads|red", "yandex_direct|red"], Rows(sources, "source", "status"));

        var checks = Rows(await _dashboard.GetJsonAsync("/api/health/checks"), "check", "status");
        Assert.Contains("duplicate_keys|ok", checks);
        Assert.Contains("spend_without_city|fail", checks); // 500 of 1500 is above 20 %.
        Assert.Contains("freshness_vk_ads|fail", checks);

        var freshness = await _dashboard.GetJsonAsync("/api/freshness");
        Assert.Equal("red", freshness.GetProperty("status").GetString());
        Assert.Equal(3, freshness.GetProperty("sources").GetArrayLength());
    }

    [Fact]
    public async Task The_api_cannot_write_through_its_connection()
    {
        var reader = new ReadOnlyStore(schema.Store);

        var refused = await Assert.ThrowsAnyAsync<Exception>(() => reader.QueryAsync("INSERT INTO zakaz.plan_sales (event_id) SELECT 1"));
        Assert.Contains("readonly", refused.Message, StringComparison.OrdinalIgnoreCase);
        await Assert.ThrowsAsync<InvalidOperationException>(() => reader.ExecuteAsync("TRUNCATE TABLE zakaz.plan_sales"));
    }

    [Fact]
    public async Task The_reader_collapses_versions_written_in_separate_parts_as_the_writer_does()
    {
        // Two versions of order 9000001 (same created_at, so the same partition) in two inserts, and
        // an order of another month: the reader merges FINAL within partitions only.
        foreach (var (order, created, updated, ver) in new[] { (9000001, "2020-01-05", "2020-01-05", 1), (9000001, "2020-01-05", "2020-01-20", 2), (9000002, "2020-02-05", "2020-02-06", 1) })
        {
            await schema.Store.ExecuteAsync($"""
                INSERT INTO zakaz.stg_qtickets_api_orders_raw (order_id, event_id, payed, created_at, updated_at, _ver)
                VALUES ({order}, 1, 1, '{created} 12:00:00', '{updated} 12:00:00', {ver})
                """);
        }
        const string Sql = """
            SELECT count() AS orders, toString(max(updated_at)) AS newest, getSetting('do_not_merge_across_partitions_select_final') AS within_partitions
            FROM zakaz.stg_qtickets_api_orders_raw FINAL
            WHERE order_id IN (9000001, 9000002)
            """;
        var writer = await schema.Store.QueryAsync(Sql);
        var reader = await new ReadOnlyStore(schema.Store).QueryAsync(Sql);

        Assert.True(reader.Get<bool>(0, "within_partitions"));
        Assert.Equal(2UL, reader.Get<ulong>(0, "orders"));
        Assert.Equal(writer.Get<ulong>(0, "orders"), reader.Get<ulong>(0, "orders"));
        Assert.Equal("2020-02-06 12:00:00", reader.Get<string>(0, "newest"));
    }

    [Fact]
    public async Task Unknown_endpoints_and_bad_ids_are_answered_in_json()
    {
        using var missing = await _dashboard.Http.GetAsync("/api/nothing");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var badId = await _dashboard.Http.GetAsync("/api/inventory/events/abc/daily");
        Assert.Equal(HttpStatusCode.BadRequest, badId.StatusCode);
        Assert.Contains("whole number", await badId.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var csvKpis = await _dashboard.Http.GetAsync("/api/sales/kpis?format=xlsx");
        Assert.Equal(HttpStatusCode.BadRequest, csvKpis.StatusCode);
    }

    private static JsonElement Kpi(JsonElement answer, string key) =>
        answer.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key);

    /// <summary>Each row as its values joined by '|', numbers invariant, null as empty.</summary>
    internal static IEnumerable<string> Rows(JsonElement table, params string[] keys) =>
        table.GetProperty("rows").EnumerateArray().Select(row => string.Join('|', keys.Select(k => row.GetProperty(k) switch
        {
            { ValueKind: JsonValueKind.Null } => "",
            { ValueKind: JsonValueKind.String } s => s.GetString(),
            var other => other.GetRawText(),
        }))).ToArray();
}
