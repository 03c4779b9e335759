using Microsoft.Extensions.Time.Testing;
using Zakaz.Pipeline.Facts;
using Zakaz.Pipeline.Tests;
using Zakaz.Testing;
using static Zakaz.Web.Tests.DashboardApiTests;

namespace Zakaz.Web.Tests;

/// <summary>
/// Attribution on the Marketing, City and UTM endpoints over <see cref="SampleData"/> and a few more rows: a
/// telegram order (no platform carries telegram), an untagged ad, and a losing campaign in Москва. Expected
/// figures are worked out by hand in the comments. The clock is 2026-03-11 12:00 in Moscow.
/// </summary>
[Collection(ZakazSchemaFixture.CollectionName)]
public sealed class AttributionApiTests(ZakazSchemaFixture schema) : IAsyncLifetime
{
    private const string Range = "from=2026-03-10&to=2026-03-11";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 11, 9, 0, 0, TimeSpan.Zero));
    private Dashboard _dashboard = null!;

    public async Task InitializeAsync()
    {
        await schema.ResetDataAsync();
        await SampleData.LoadAsync(schema.Store);
        var staging = new Staging(schema.Store);
        await SampleData.Sale(staging, 6, 1, Staging.Msk(2026, 3, 11), "telegram", "tg_post", 400m);
        await SampleData.Sale(staging, 7, 1, Staging.Msk(2026, 3, 11), "vk", "autumn", 500m);
        await staging.AdStats(
            new AdStat(new DateOnly(2026, 3, 10), 13, "москва", 1, 300m, 5, 800),
            new AdStat(new DateOnly(2026, 3, 11), 14, "москва", 1, 900m, 20, 4000) { UtmSource = "vk", UtmCampaign = "autumn" });
        await new FactBuilder(schema.Store).RebuildAllAsync();
        _dashboard = await Dashboard.StartAsync(schema.Store, options => options.Time = _time);
    }

    public async Task DisposeAsync() => await _dashboard.DisposeAsync();

    [Fact]
    public async Task Cities_split_revenue_and_light_the_attributed_roas()
    {
        // Москва: spend 1000 + 300 + 900 = 2200; revenue 1500 + 700 + 500 (vk) + 600 (untagged) + 400 (telegram) = 3700,
        // attributed 2700: ROAS 2700 / 2200 = 1.2273, amber, although all revenue against spend is 1.68.
        // unknown: 500 spent, nothing attributed: red. Санкт-Петербург: no spend, 800 untagged: no light.
        Assert.Equal(
            ["москва|2200|3700|2700|1000|1.2273|0.2273|1.6818|amber", "unknown|500|0|0|0|0|-1|0|red", "санкт-петербург|0|800|0|800||||"],
            Rows(await _dashboard.GetJsonAsync("/api/marketing/cities?" + Range),
                "city", "spend", "revenue", "attributedRevenue", "otherRevenue", "attributedRoas", "attributedRomi", "roas", "light"));
    }

    [Fact]
    public async Task The_light_thresholds_are_configurable()
    {
        await using var lenient = await Dashboard.StartAsync(schema.Store, options => (options.RoasGreen, options.RoasAmber) = (1.2m, 0.5m));

        Assert.Equal(
            ["москва|green", "unknown|red", "санкт-петербург|"],
            Rows(await lenient.GetJsonAsync("/api/marketing/cities?" + Range), "city", "light"));
        // vk/autumn: 500 / 900 = 0.5556, amber from 0.5 on.
        Assert.Contains("vk|autumn|0.5556|amber", Rows(await lenient.GetJsonAsync("/api/marketing/campaigns?" + Range), "source", "campaign", "roas", "light"));
    }

    [Fact]
    public async Task Campaigns_light_their_roas_and_keep_untagged_spend_and_revenue_apart()
    {
        // telegram: no platform, so no ROAS, CPO or light. The untagged ad's 300 and the untagged orders' 1400 are two lines.
        Assert.Equal(
            [
                "vk_ads|vk|spring|1000|50|2|2200|2.2|500|green|campaign",
                "vk_ads|vk|autumn|900|20|1|500|0.5556|900|red|campaign",
                "vk_ads|vk|other|500|10|0|0|0||red|campaign",
                "|telegram|tg_post|0|0|1|400||||campaign",
                "|||||2|1400||||untagged_revenue",
                "|||300|5||||||untagged_spend",
            ],
            Rows(await _dashboard.GetJsonAsync("/api/marketing/campaigns?" + Range),
                "platform", "source", "campaign", "spend", "clicks", "orders", "revenue", "roas", "cpo", "light", "kind"));
        Assert.Equal(
            ["vk|autumn|900"],
            Rows(await _dashboard.GetJsonAsync("/api/marketing/campaigns?campaign=autumn&" + Range), "source", "campaign", "spend"));
    }

    [Fact]
    public async Task An_event_filter_shows_its_spend_and_flags_the_unmapped_rest()
    {
        var answer = await _dashboard.GetJsonAsync("/api/marketing/kpis?event=1&" + Range);

        // Event 1: 1000 + 300 + 900; the 500 no rule tied to an event is flagged, not dropped.
        Assert.Equal(2200m, Kpi(answer, "spend").GetProperty("value").GetDecimal());
        Assert.Equal(500m, answer.GetProperty("spendWithoutEvent").GetDecimal());
        Assert.Equal(0m, (await _dashboard.GetJsonAsync("/api/marketing/kpis?city=санкт-петербург&" + Range)).GetProperty("spendWithoutEvent").GetDecimal());
    }

    [Fact]
    public async Task Spend_a_platform_has_not_reported_is_not_loaded_rather_than_zero()
    {
        // VK Ads reported up to 2026-03-11 (the staging's newest day): the 12th is not loaded yet.
        Assert.Equal(
            ["2026-03-10|1300|2300|1500|", "2026-03-11|1400|2200|1200|", "2026-03-12||0|0|vk_ads"],
            Rows(await _dashboard.GetJsonAsync("/api/marketing/daily?from=2026-03-10&to=2026-03-12"), "d", "spend", "revenue", "attributedRevenue", "notLoaded"));

        var partly = await _dashboard.GetJsonAsync("/api/marketing/kpis?from=2026-03-10&to=2026-03-12");
        Assert.Equal("partial", partly.GetProperty("spendStatus").GetString());
        Assert.Equal(["vk_ads|2026-03-12|2026-03-12"], Rows(new JsonObjectRows(partly, "spendNotLoaded").Table, "source", "from", "to"));

        var none = await _dashboard.GetJsonAsync("/api/marketing/kpis?from=2026-03-12&to=2026-03-12");
        Assert.Equal("not_loaded", none.GetProperty("spendStatus").GetString());
        Assert.Equal(JsonValueKind.Null, Kpi(none, "spend").GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, Kpi(none, "spend").GetProperty("changePct").ValueKind);
        Assert.Equal(JsonValueKind.Null, Kpi(none, "roas").GetProperty("value").ValueKind);
        Assert.Equal("complete", (await _dashboard.GetJsonAsync("/api/marketing/kpis?" + Range)).GetProperty("spendStatus").GetString());
    }

    [Fact]
    public async Task A_range_ending_today_compares_a_partial_day()
    {
        Assert.True((await _dashboard.GetJsonAsync("/api/marketing/kpis?" + Range)).GetProperty("partialDay").GetBoolean());
        Assert.False((await _dashboard.GetJsonAsync("/api/marketing/kpis?from=2026-03-09&to=2026-03-10")).GetProperty("partialDay").GetBoolean());
    }

    [Fact]
    public async Task City_performance_and_a_citys_events()
    {
        // Ranked by ROMI on attributed revenue; tickets: Москва 2 + 1 + 2 + 1 + 1 = 7.
        Assert.Equal(
            ["москва|2200|2700|1000|7|0.2273|amber", "unknown|500|0|0|0|-1|red", "санкт-петербург|0|0|800|1||"],
            Rows(await _dashboard.GetJsonAsync("/api/city/cities?" + Range), "city", "spend", "attributedRevenue", "otherRevenue", "tickets", "attributedRomi", "light"));
        Assert.Equal(
            ["1|Концерт А|москва|2200|3100|2700|400", "3|Концерт В|москва|0|600|0|600"],
            Rows(await _dashboard.GetJsonAsync("/api/city/events?city=москва&" + Range), "eventId", "eventName", "city", "spend", "revenue", "attributedRevenue", "otherRevenue"));
        Assert.Equal(
            ["0|Без привязки к событию||500"],
            Rows(await _dashboard.GetJsonAsync("/api/city/events?city=unknown&" + Range), "eventId", "eventName", "city", "spend"));
    }

    [Fact]
    public async Task Utm_shares_per_day_and_source_and_the_campaigns_no_platform_reports()
    {
        // 03-10: 800 of 2300 untagged, 1 order of 2; 03-11: 600 of 2200, 1 of 4.
        Assert.Equal(
            ["2026-03-10|2300|800|0.3478|2|1|0.5", "2026-03-11|2200|600|0.2727|4|1|0.25"],
            Rows(await _dashboard.GetJsonAsync("/api/utm/daily?" + Range),
                "d", "revenue", "revenueWithoutUtm", "revenueWithoutUtmShare", "orders", "ordersWithoutUtm", "ordersWithoutUtmShare"));
        Assert.Equal(
            ["vk|vk_ads|2700|0.6|3|0.5", "|" + "|1400|0.3111|2|0.3333", "telegram||400|0.0889|1|0.1667"],
            Rows(await _dashboard.GetJsonAsync("/api/utm/sources?" + Range), "source", "platform", "revenue", "revenueShare", "orders", "ordersShare"));
        // Telegram brings an order and no platform reports it: its spend is unknown (null), not 0.
        Assert.Equal(
            ["telegram|tg_post|1|400|"],
            Rows(await _dashboard.GetJsonAsync("/api/utm/unreported?" + Range), "source", "campaign", "orders", "revenue", "spend"));
    }

    private static JsonElement Kpi(JsonElement answer, string key) =>
        answer.GetProperty("kpis").EnumerateArray().Single(k => k.GetProperty("key").GetString() == key);

    /// <summary>An array property of an answer, shaped as a table's rows for <see cref="DashboardApiTests.Rows"/>.</summary>
    private sealed class JsonObjectRows(JsonElement answer, string property)
    {
        public JsonElement Table { get; } = JsonDocument.Parse($$"""{"rows":{{answer.GetProperty(property).GetRawText()}}}""").RootElement.Clone();
    }
}
