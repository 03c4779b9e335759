using Zakaz.Pipeline.Ads;
using Zakaz.Storage;

namespace Zakaz.Pipeline.Facts;

/// <summary>
/// Recomputes the daily sales facts and the ad mart from staging (read with FINAL), then the dashboard's marketing
/// marts from those, a whole business day at a time, all with one new <c>_ver</c>. A key of a rebuilt day that the
/// new result lacks is rewritten with zeros, so a day whose orders were all refunded reads zero, not its old total.
/// Rebuilding again changes nothing a reader sees. The rules are data-model.md section 4 and the Qtickets rules.
/// A rebuild ends by writing the summaries read on every page: the date filter's bounds (zakaz.meta_filter_options)
/// and which platform carries each utm_source (zakaz.dm_ad_utm_sources).
/// </summary>
public sealed class FactBuilder(IClickHouseStore store, TimeProvider? time = null)
{
    public const string SalesDaily = "zakaz.fact_qtickets_sales_daily";
    public const string SalesUtmDaily = "zakaz.fact_qtickets_sales_utm_daily";
    public const string SalesMinutely = "zakaz.fact_qtickets_sales_minutely";
    public const string VkAdsDaily = "zakaz.dm_vk_ads_daily";
    public const string AdsDaily = "zakaz.dm_ads_daily";
    public const string MarketingDaily = "zakaz.dm_marketing_daily";
    public const string CampaignDaily = "zakaz.dm_campaign_daily";
    public const string MarketingSourceDaily = "zakaz.dm_marketing_source_daily";
    public const string PlanVsFactDaily = "zakaz.dm_plan_vs_fact_daily";

    // One row per sale (payed, not deleted, with a payment time) paid on a date of the range, with
    // its sold tickets (not deleted, not refunded; a quantity of 0 means the field was missing and
    // counts as 1), their revenue and the refunds of its baskets. A refund therefore lowers the day
    // the order was paid, whenever it happened. An event without a city is kept under 'unknown';
    // nullIf/coalesce read the same whether the outer join fills defaults or NULLs.
    private const string SoldOrders = """
        WITH
            sale_orders AS
            (
                SELECT
                    order_id,
                    event_id,
                    toDate(assumeNotNull(payed_at)) AS sale_date,
                    toUInt16(toHour(assumeNotNull(payed_at)) * 60 + toMinute(assumeNotNull(payed_at))) AS sale_minute,
                    lowerUTF8(trimBoth(toString(utm_source))) AS source,
                    lowerUTF8(trimBoth(toString(utm_medium))) AS medium,
                    lowerUTF8(trimBoth(utm_campaign)) AS campaign,
                    lowerUTF8(trimBoth(utm_content)) AS content,
                    lowerUTF8(trimBoth(utm_term)) AS term
                FROM zakaz.stg_qtickets_api_orders_raw FINAL
                WHERE payed = 1 AND deleted_at IS NULL AND payed_at IS NOT NULL
                  AND toDate(payed_at) BETWEEN {from:Date} AND {to:Date}
            ),
            basket_totals AS
            (
                SELECT
                    order_id,
                    sumIf(toUInt64(greatest(quantity, 1)), deleted_at IS NULL AND refunded_at IS NULL) AS tickets,
                    sumIf(price, deleted_at IS NULL AND refunded_at IS NULL) AS sold_revenue,
                    sumIf(refunded_amount, refunded_at IS NOT NULL) AS refunds
                FROM zakaz.stg_qtickets_api_tickets_raw FINAL
                WHERE order_id IN (SELECT order_id FROM sale_orders)
                GROUP BY order_id
            ),
            sold_orders AS
            (
                SELECT
                    o.sale_date AS sale_date,
                    o.sale_minute AS sale_minute,
                    o.event_id AS event_id,
                    coalesce(nullIf(toString(c.event_city), ''), 'unknown') AS event_city,
                    o.source AS source, o.medium AS medium, o.campaign AS campaign, o.content AS content, o.term AS term,
                    b.tickets AS tickets, b.sold_revenue AS sold_revenue, b.refunds AS refunds
                FROM sale_orders AS o
                INNER JOIN basket_totals AS b ON b.order_id = o.order_id
                LEFT JOIN (SELECT event_id, city AS event_city FROM zakaz.dim_events FINAL) AS c ON c.event_id = o.event_id
            )
        """;

    // Keys already in the table for these days are unioned in with zeros: whatever the new result
    // lacks is overwritten with zeros rather than left at its old total.
    private const string SalesDailySql = $$"""
        INSERT INTO zakaz.fact_qtickets_sales_daily
            (sales_date, event_id, city, orders, tickets_sold, revenue, refunded_amount, _ver, _loaded_at)
        {{SoldOrders}}
        SELECT sale_date, event_id, event_city, countIf(tickets > 0), sum(tickets), sum(sold_revenue), sum(refunds), {ver:UInt64}, now()
        FROM
        (
            SELECT sale_date, event_id, event_city, tickets, sold_revenue, refunds
            FROM sold_orders
            UNION ALL
            SELECT sales_date, event_id, toString(city), toUInt64(0), toDecimal64(0, 2), toDecimal64(0, 2)
            FROM zakaz.fact_qtickets_sales_daily FINAL
            WHERE sales_date BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY sale_date, event_id, event_city
        """;

    private const string SalesUtmDailySql = $$"""
        INSERT INTO zakaz.fact_qtickets_sales_utm_daily
            (sales_date, event_id, city, utm_source, utm_medium, utm_campaign, utm_content, utm_term, orders, tickets_sold, revenue, _ver, _loaded_at)
        {{SoldOrders}}
        SELECT sale_date, event_id, event_city, source, medium, campaign, content, term,
               countIf(tickets > 0), sum(tickets), sum(sold_revenue), {ver:UInt64}, now()
        FROM
        (
            SELECT sale_date, event_id, event_city, source, medium, campaign, content, term, tickets, sold_revenue
            FROM sold_orders
            UNION ALL
            SELECT sales_date, event_id, toString(city), toString(utm_source), toString(utm_medium), utm_campaign, utm_content, utm_term,
                   toUInt64(0), toDecimal64(0, 2)
            FROM zakaz.fact_qtickets_sales_utm_daily FINAL
            WHERE sales_date BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY sale_date, event_id, event_city, source, medium, campaign, content, term
        """;

    private const string SalesMinutelySql = $$"""
        INSERT INTO zakaz.fact_qtickets_sales_minutely
            (sales_date, sale_minute, event_id, city, orders, tickets_sold, revenue, _ver, _loaded_at)
        {{SoldOrders}}
        SELECT sale_date, sale_minute, event_id, event_city, countIf(tickets > 0), sum(tickets), sum(sold_revenue), {ver:UInt64}, now()
        FROM
        (
            SELECT sale_date, sale_minute, event_id, event_city, tickets, sold_revenue
            FROM sold_orders
            UNION ALL
            SELECT sales_date, sale_minute, event_id, toString(city), toUInt64(0), toDecimal64(0, 2)
            FROM zakaz.fact_qtickets_sales_minutely FINAL
            WHERE sales_date BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY sale_date, sale_minute, event_id, event_city
        """;

    // Spend no rule assigned to a city stays visible under 'unknown', never dropped.
    private const string VkAdsDailySql = """
        INSERT INTO zakaz.dm_vk_ads_daily (stat_date, city, event_id, impressions, clicks, spend, _ver, _loaded_at)
        SELECT stat_date, mart_city, event_id, sum(impressions), sum(clicks), sum(spend), {ver:UInt64}, now()
        FROM
        (
            SELECT stat_date, coalesce(nullIf(lowerUTF8(trimBoth(toString(city))), ''), 'unknown') AS mart_city, event_id, impressions, clicks, spend
            FROM zakaz.stg_vk_ads_daily FINAL
            WHERE stat_date BETWEEN {from:Date} AND {to:Date}
            UNION ALL
            SELECT stat_date, toString(city), event_id, toUInt64(0), toUInt64(0), toDecimal64(0, 2)
            FROM zakaz.dm_vk_ads_daily FINAL
            WHERE stat_date BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY stat_date, mart_city, event_id
        """;

    // Every platform's spend in one shape (AdPlatform), which every ROI view reads.
    private static readonly string AdsDailySql = $$"""
        INSERT INTO zakaz.dm_ads_daily
            (stat_date, source, city, event_id, campaign_id, campaign_name, utm_source, utm_campaign, impressions, clicks, spend, _ver, _loaded_at)
        SELECT stat_date, source, city, event_id, campaign_id, max(campaign_name), utm_source, utm_campaign,
               sum(impressions), sum(clicks), sum(spend), {ver:UInt64}, now()
        FROM
        (
            {{string.Join("\nUNION ALL\n", AdPlatform.All.Select(p => p.MartSql))}}
            UNION ALL
            SELECT stat_date, toString(source), toString(city), event_id, campaign_id, '', toString(utm_source), utm_campaign,
                   toUInt64(0), toUInt64(0), toDecimal64(0, 2)
            FROM zakaz.dm_ads_daily FINAL
            WHERE stat_date BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY stat_date, source, city, event_id, campaign_id, utm_source, utm_campaign
        """;

    // The dashboard's marts store what the bi views compute from the tables above, once those are
    // rebuilt (0012_dashboard_marts.sql); zeros again for the keys the views no longer have.
    private const string MarketingDailySql = """
        INSERT INTO zakaz.dm_marketing_daily (d, city, event_id, revenue, orders, tickets_sold, spend, clicks, impressions, _ver, _loaded_at)
        SELECT d, city, event_id, sum(revenue), sum(orders), sum(tickets_sold), sum(spend), sum(clicks), sum(impressions), {ver:UInt64}, now()
        FROM
        (
            SELECT d, toString(city) AS city, event_id, revenue, orders, tickets_sold, spend, clicks, impressions
            FROM bi.v_marketing_daily
            WHERE d BETWEEN {from:Date} AND {to:Date}
            UNION ALL
            SELECT d, toString(city), event_id, toDecimal64(0, 2), toUInt64(0), toUInt64(0), toDecimal64(0, 2), toUInt64(0), toUInt64(0)
            FROM zakaz.dm_marketing_daily FINAL
            WHERE d BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY d, city, event_id
        """;

    private const string MarketingSourceDailySql = """
        INSERT INTO zakaz.dm_marketing_source_daily
            (d, city, event_id, platform, utm_source, revenue, orders, tickets_sold, spend, clicks, impressions, _ver, _loaded_at)
        SELECT d, city, event_id, platform, utm_source, sum(revenue), sum(orders), sum(tickets_sold), sum(spend), sum(clicks), sum(impressions), {ver:UInt64}, now()
        FROM
        (
            SELECT d, toString(city) AS city, event_id, toString(platform) AS platform, toString(utm_source) AS utm_source,
                   revenue, orders, tickets_sold, spend, clicks, impressions
            FROM zakaz.v_marketing_utm_source_daily
            WHERE d BETWEEN {from:Date} AND {to:Date}
            UNION ALL
            SELECT d, toString(city), event_id, toString(platform), toString(utm_source),
                   toDecimal64(0, 2), toUInt64(0), toUInt64(0), toDecimal64(0, 2), toUInt64(0), toUInt64(0)
            FROM zakaz.dm_marketing_source_daily FINAL
            WHERE d BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY d, city, event_id, platform, utm_source
        """;

    private const string CampaignDailySql = """
        INSERT INTO zakaz.dm_campaign_daily (d, city, event_id, source, campaign, revenue, orders, spend, clicks, impressions, _ver, _loaded_at)
        SELECT d, city, event_id, source, campaign, sum(revenue), sum(orders), sum(spend), sum(clicks), sum(impressions), {ver:UInt64}, now()
        FROM
        (
            SELECT d, toString(city) AS city, event_id, toString(source) AS source, campaign, revenue, orders, spend, clicks, impressions
            FROM bi.v_campaign_daily
            WHERE d BETWEEN {from:Date} AND {to:Date}
            UNION ALL
            SELECT d, toString(city), event_id, toString(source), campaign, toDecimal64(0, 2), toUInt64(0), toDecimal64(0, 2), toUInt64(0), toUInt64(0)
            FROM zakaz.dm_campaign_daily FINAL
            WHERE d BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY d, city, event_id, source, campaign
        """;

    // diff_pct is a ratio, not a sum: the zero rows carry NULL, which max() passes over. It is stored
    // as a decimal through its shortest text, which keeps the view's 4 places exactly (a cast from
    // Float64 would cut 0.1235, held as 0.12349..., to 0.1234).
    private const string PlanVsFactSql = """
        INSERT INTO zakaz.dm_plan_vs_fact_daily
            (d, event_id, city, plan_tickets, plan_revenue, fact_tickets, fact_revenue, diff, diff_pct, diff_tickets, _ver, _loaded_at)
        SELECT d, event_id, city, sum(plan_tickets), sum(plan_revenue), sum(fact_tickets), sum(fact_revenue),
               sum(diff), toDecimal64OrNull(toString(max(diff_pct)), 4), sum(diff_tickets), {ver:UInt64}, now()
        FROM
        (
            SELECT d, event_id, toString(city) AS city, plan_tickets, plan_revenue, fact_tickets, fact_revenue, diff, diff_pct, diff_tickets
            FROM bi.v_plan_vs_fact
            WHERE d BETWEEN {from:Date} AND {to:Date}
            UNION ALL
            SELECT d, event_id, toString(city), toUInt64(0), toDecimal64(0, 2), toUInt64(0), toDecimal64(0, 2), toDecimal64(0, 2),
                   CAST(NULL AS Nullable(Float64)), toInt64(0)
            FROM zakaz.dm_plan_vs_fact_daily FINAL
            WHERE d BETWEEN {from:Date} AND {to:Date}
        )
        GROUP BY d, event_id, city
        """;

    // The date filter's bounds (bi.v_filter_dates): the first and last day bi.v_sales_daily has, kept here so
    // that no page request reads the facts for them.
    private const string FilterOptionsSql = """
        INSERT INTO zakaz.meta_filter_options (filter, min_date, max_date, rebuilt_at, _ver)
        SELECT 'sales_dates', minOrNull(sales_date), maxOrNull(sales_date), now('UTC'), {ver:UInt64}
        FROM zakaz.fact_qtickets_sales_daily FINAL
        WHERE orders != 0 OR tickets_sold != 0 OR revenue != 0
        """;

    // Which platform's ads carry each utm_source over all days (bi.v_ad_utm_sources reads the last rebuild's rows):
    // the rule of 0016, from the ad mart as rebuilt.
    private const string AdUtmSourcesSql = """
        INSERT INTO zakaz.dm_ad_utm_sources (utm_source, source, spend, _ver, _loaded_at)
        SELECT utm_source, argMax(platform, platform_spend), sum(platform_spend), {ver:UInt64}, now()
        FROM
        (
            SELECT lowerUTF8(trimBoth(toString(utm_source))) AS utm_source, toString(source) AS platform, sum(spend) AS platform_spend
            FROM zakaz.dm_ads_daily FINAL
            WHERE utm_source != ''
            GROUP BY utm_source, platform
        )
        GROUP BY utm_source
        """;

    private const string NoMarketing = "revenue = 0 AND orders = 0 AND spend = 0 AND clicks = 0 AND impressions = 0";

    private static readonly FactTable PlanVsFact = new(PlanVsFactDaily, "d", PlanVsFactSql,
        "plan_tickets = 0 AND plan_revenue = 0 AND fact_tickets = 0 AND fact_revenue = 0");

    // In this order: the marts read the facts and the ad mart of the same rebuild (and the plans).
    private static readonly FactTable[] Tables =
    [
        new(SalesDaily, "sales_date", SalesDailySql, "orders = 0 AND tickets_sold = 0 AND revenue = 0 AND refunded_amount = 0"),
        new(SalesUtmDaily, "sales_date", SalesUtmDailySql, "orders = 0 AND tickets_sold = 0 AND revenue = 0"),
        new(SalesMinutely, "sales_date", SalesMinutelySql, "orders = 0 AND tickets_sold = 0 AND revenue = 0"),
        new(VkAdsDaily, "stat_date", VkAdsDailySql, "impressions = 0 AND clicks = 0 AND spend = 0"),
        new(AdsDaily, "stat_date", AdsDailySql, "impressions = 0 AND clicks = 0 AND spend = 0"),
        new(MarketingDaily, "d", MarketingDailySql, NoMarketing),
        new(CampaignDaily, "d", CampaignDailySql, NoMarketing),
        new(MarketingSourceDaily, "d", MarketingSourceDailySql, NoMarketing),
        PlanVsFact,
    ];

    public Task<FactRebuildResult> RebuildAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        RebuildAsync([new DateRange(from, to)], Tables, cancellationToken);

    /// <summary>What a connector calls after a load, with the business dates the load touched.</summary>
    public Task<FactRebuildResult> RebuildForLoadAsync(IReadOnlyCollection<DateOnly> touchedDates, CancellationToken cancellationToken = default) =>
        RebuildAsync(DateRange.Group(touchedDates), Tables, cancellationToken);

    /// <summary>What a plan import calls: only the plan-against-fact mart, for the days of the plan.</summary>
    public Task<FactRebuildResult> RebuildPlanVsFactAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken = default) =>
        RebuildAsync([new DateRange(from, to)], [PlanVsFact], cancellationToken);

    /// <summary>Every date from the first to the last one staging, an existing fact or a plan holds; nothing when all are empty.</summary>
    public async Task<FactRebuildResult> RebuildAllAsync(CancellationToken cancellationToken = default)
    {
        var span = await SpanAsync(cancellationToken);
        return await RebuildAsync(span is { } range ? [range] : [], Tables, cancellationToken);
    }

    private async Task<DateRange?> SpanAsync(CancellationToken cancellationToken)
    {
        // Plain reads, not FINAL: older versions can only widen the span, and a date that lost all
        // its rows must still be rebuilt to zero.
        var result = await store.QueryAsync("""
            SELECT minOrNull(d), maxOrNull(d)
            FROM
            (
                SELECT toDate(assumeNotNull(payed_at)) AS d FROM zakaz.stg_qtickets_api_orders_raw WHERE payed_at IS NOT NULL
                UNION ALL SELECT stat_date FROM zakaz.stg_vk_ads_daily
                UNION ALL SELECT stat_date FROM zakaz.stg_yandex_direct_daily
                UNION ALL SELECT sales_date FROM zakaz.fact_qtickets_sales_daily
                UNION ALL SELECT sales_date FROM zakaz.fact_qtickets_sales_utm_daily
                UNION ALL SELECT sales_date FROM zakaz.fact_qtickets_sales_minutely
                UNION ALL SELECT stat_date FROM zakaz.dm_vk_ads_daily
                UNION ALL SELECT stat_date FROM zakaz.dm_ads_daily
                UNION ALL SELECT sales_date FROM zakaz.plan_sales
            )
            """, cancellationToken: cancellationToken);
        var first = result.Get<DateOnly?>(0, 0);
        var last = result.Get<DateOnly?>(0, 1);
        return first is { } from && last is { } to ? new DateRange(from, to) : null;
    }

    private async Task<FactRebuildResult> RebuildAsync(IReadOnlyList<DateRange> ranges, IReadOnlyList<FactTable> tables, CancellationToken cancellationToken)
    {
        if (ranges.Count == 0)
        {
            return new FactRebuildResult(ranges, 0, tables.Select(t => new FactTableRebuild(t.Name, 0, 0)).ToArray());
        }
        var version = await NextVersionAsync(cancellationToken);
        foreach (var range in ranges)
        {
            foreach (var table in tables)
            {
                await store.ExecuteAsync(table.InsertSql, Parameters(range, version), cancellationToken: cancellationToken);
            }
        }
        foreach (var (table, summary) in new[] { (SalesDaily, FilterOptionsSql), (AdsDaily, AdUtmSourcesSql) })
        {
            if (tables.Any(t => t.Name == table))
            {
                await store.ExecuteAsync(summary, new QueryParameters().Add("ver", version), cancellationToken: cancellationToken);
            }
        }
        var span = new DateRange(ranges.Min(r => r.From), ranges.Max(r => r.To));
        var written = new List<FactTableRebuild>();
        foreach (var table in tables)
        {
            var counts = await store.QueryAsync(
                $"SELECT count(), countIf({table.ZeroCondition}) FROM {table.Name} WHERE {table.DateColumn} BETWEEN {{from:Date}} AND {{to:Date}} AND _ver = {{ver:UInt64}}",
                Parameters(span, version), cancellationToken: cancellationToken);
            written.Add(new FactTableRebuild(table.Name, counts.Get<long>(0, 0), counts.Get<long>(0, 1)));
        }
        return new FactRebuildResult(ranges, version, written);
    }

    /// <summary>
    /// Unix milliseconds, unless a table already holds that version or a later one (a clock that
    /// went back, a faster writer): a rebuild must always win over what it replaces.
    /// </summary>
    private async Task<ulong> NextVersionAsync(CancellationToken cancellationToken)
    {
        var existing = await store.QueryAsync(
            "SELECT max(v) FROM (" + string.Join(" UNION ALL ", Tables.Select(t => $"SELECT max(_ver) AS v FROM {t.Name}")) + ")",
            cancellationToken: cancellationToken);
        var now = (ulong)(time ?? TimeProvider.System).GetUtcNow().ToUnixTimeMilliseconds();
        return Math.Max(now, existing.Scalar<ulong>() + 1);
    }

    private static QueryParameters Parameters(DateRange range, ulong version) =>
        new QueryParameters().Add("from", range.From).Add("to", range.To).Add("ver", version);

    private sealed record FactTable(string Name, string DateColumn, string InsertSql, string ZeroCondition);
}
