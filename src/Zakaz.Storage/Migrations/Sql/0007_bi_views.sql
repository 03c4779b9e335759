-- The public read model: what the dashboard and external BI tools (DataLens, Superset, Grafana)
-- query. Rules that hold for every view here:
--   * versioned tables are read with FINAL, so nothing is counted twice before merges;
--   * sales and spend are combined by UNION ALL with zeros for the other side and GROUP BY, never
--     by outer joins (no fan-out of spend over events, no NULL or 1970-01-01 rows);
--   * ratios are computed from sums at the grain shown and are NULL when the denominator is 0;
--     money ratios (average price, CPO, CPT, CPC, CPM) are Decimal roubles, the rest Float64;
--   * keys that lost all their sales were rewritten with zeros and are left out;
--   * SQL SECURITY DEFINER: a view reads zakaz.* with its creator's rights, so the reader role
--     needs SELECT on bi only (ClickHouse >= 24.2; the migrating user must keep its grants).

-- Sales per day (sale date in Moscow), city and event.
CREATE OR REPLACE VIEW bi.v_sales_daily SQL SECURITY DEFINER AS
SELECT
    f.sales_date AS d,
    f.city AS city,
    f.event_id AS event_id,
    e.event_name AS event_name,
    f.orders AS orders,
    f.tickets_sold AS tickets_sold,
    f.revenue AS revenue,
    if(f.tickets_sold = 0, NULL, toDecimal64(round(toDecimal128(f.revenue, 6) / f.tickets_sold, 2), 2)) AS avg_ticket_price
FROM zakaz.fact_qtickets_sales_daily AS f FINAL
LEFT JOIN (SELECT event_id, event_name FROM zakaz.dim_events FINAL) AS e ON e.event_id = f.event_id
WHERE f.orders != 0 OR f.tickets_sold != 0 OR f.revenue != 0;

-- Ad delivery and spend per day and city.
CREATE OR REPLACE VIEW bi.v_vk_ads_daily SQL SECURITY DEFINER AS
SELECT
    d,
    city,
    impressions,
    clicks,
    spend,
    if(impressions = 0, NULL, round(clicks / impressions, 6)) AS ctr,
    if(clicks = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / clicks, 2), 2)) AS cpc,
    if(impressions = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) * 1000 / impressions, 2), 2)) AS cpm
FROM
(
    SELECT stat_date AS d, city, sum(impressions) AS impressions, sum(clicks) AS clicks, sum(spend) AS spend
    FROM zakaz.dm_vk_ads_daily FINAL
    GROUP BY stat_date, city
)
WHERE impressions != 0 OR clicks != 0 OR spend != 0;

-- City-day ROI: spend of day d attributed to city c against sales made on day d for events in c
-- (sale date, not event date). Spend no rule assigned stays under city 'unknown'.
CREATE OR REPLACE VIEW bi.v_marketing_roi_daily SQL SECURITY DEFINER AS
SELECT
    d,
    city,
    revenue,
    orders,
    tickets_sold,
    spend,
    clicks,
    impressions,
    if(spend = 0, NULL, round(toFloat64(revenue) / toFloat64(spend), 4)) AS roas,
    if(spend = 0, NULL, round((toFloat64(revenue) - toFloat64(spend)) / toFloat64(spend), 4)) AS romi,
    if(orders = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / orders, 2), 2)) AS cpo,
    if(tickets_sold = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / tickets_sold, 2), 2)) AS cpt,
    if(clicks = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / clicks, 2), 2)) AS cpc
FROM
(
    SELECT
        d,
        city,
        sum(sales_revenue) AS revenue,
        sum(sales_orders) AS orders,
        sum(sales_tickets) AS tickets_sold,
        sum(ad_spend) AS spend,
        sum(ad_clicks) AS clicks,
        sum(ad_impressions) AS impressions
    FROM
    (
        SELECT
            sales_date AS d, city,
            revenue AS sales_revenue, orders AS sales_orders, tickets_sold AS sales_tickets,
            toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
        FROM zakaz.fact_qtickets_sales_daily FINAL
        UNION ALL
        SELECT
            stat_date AS d, city,
            toDecimal64(0, 2), toUInt64(0), toUInt64(0),
            spend, clicks, impressions
        FROM zakaz.dm_vk_ads_daily FINAL
    )
    GROUP BY d, city
)
WHERE revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- Campaign ROI: orders' utm_source/utm_campaign against the same UTM values on the banners that
-- spent. Untagged sales show as source '' and campaign ''.
CREATE OR REPLACE VIEW bi.v_romi_by_campaign SQL SECURITY DEFINER AS
SELECT
    d,
    source,
    campaign AS utm_campaign,
    revenue,
    orders,
    spend,
    if(spend = 0, NULL, round(toFloat64(revenue) / toFloat64(spend), 4)) AS roas,
    if(spend = 0, NULL, round((toFloat64(revenue) - toFloat64(spend)) / toFloat64(spend), 4)) AS romi,
    if(orders = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / orders, 2), 2)) AS cpo
FROM
(
    SELECT d, source, campaign, sum(sales_revenue) AS revenue, sum(sales_orders) AS orders, sum(ad_spend) AS spend
    FROM
    (
        SELECT sales_date AS d, lowerUTF8(trimBoth(toString(utm_source))) AS source, lowerUTF8(trimBoth(utm_campaign)) AS campaign,
               revenue AS sales_revenue, orders AS sales_orders, toDecimal64(0, 2) AS ad_spend
        FROM zakaz.fact_qtickets_sales_utm_daily FINAL
        UNION ALL
        SELECT stat_date AS d, lowerUTF8(trimBoth(toString(utm_source))) AS source, lowerUTF8(trimBoth(utm_campaign)),
               toDecimal64(0, 2), toUInt64(0), spend
        FROM zakaz.stg_vk_ads_daily FINAL
    )
    GROUP BY d, source, campaign
)
WHERE revenue != 0 OR orders != 0 OR spend != 0;

-- One row per event with inventory: capacity and left from the latest snapshot, sell-through,
-- the last 7 days' tickets (velocity = tickets_7d / 7) and the projected sell-out date.
CREATE OR REPLACE VIEW bi.v_event_inventory SQL SECURITY DEFINER AS
SELECT
    e.event_id AS event_id,
    e.event_name AS event_name,
    e.city AS city,
    e.start_date AS start_date,
    e.end_date AS end_date,
    i.tickets_total AS capacity,
    if(i.tickets_total IS NULL OR i.tickets_left IS NULL, NULL, toInt64(i.tickets_total) - toInt64(i.tickets_left)) AS sold,
    i.tickets_left AS left,
    if(i.tickets_total IS NULL OR i.tickets_total = 0 OR i.tickets_left IS NULL, NULL,
       round((toFloat64(i.tickets_total) - toFloat64(i.tickets_left)) / toFloat64(i.tickets_total), 4)) AS sell_through,
    ifNull(s.tickets_7d, 0) AS tickets_7d,
    if(ifNull(s.tickets_7d, 0) = 0 OR i.tickets_left IS NULL, NULL,
       today() + toIntervalDay(toUInt32(ceil(i.tickets_left / (s.tickets_7d / 7))))) AS projected_sellout_date
FROM (SELECT event_id, event_name, city, start_date, end_date FROM zakaz.dim_events FINAL WHERE deleted = 0) AS e
INNER JOIN (SELECT event_id, tickets_total, tickets_left FROM zakaz.fact_qtickets_inventory_latest FINAL) AS i ON i.event_id = e.event_id
LEFT JOIN
(
    SELECT event_id, toNullable(sum(tickets_sold)) AS tickets_7d
    FROM zakaz.fact_qtickets_sales_daily FINAL
    WHERE sales_date > today() - 7
    GROUP BY event_id
) AS s ON s.event_id = e.event_id;

-- Plan against fact per day, event and city; diff and diff_pct compare revenue.
CREATE OR REPLACE VIEW bi.v_plan_vs_fact SQL SECURITY DEFINER AS
SELECT
    d,
    event_id,
    city,
    plan_tickets,
    plan_revenue,
    fact_tickets,
    fact_revenue,
    fact_revenue - plan_revenue AS diff,
    if(plan_revenue = 0, NULL, round((toFloat64(fact_revenue) - toFloat64(plan_revenue)) / toFloat64(plan_revenue), 4)) AS diff_pct,
    toInt64(fact_tickets) - toInt64(plan_tickets) AS diff_tickets
FROM
(
    SELECT d, event_id, city,
           sum(p_tickets) AS plan_tickets, sum(p_revenue) AS plan_revenue,
           sum(f_tickets) AS fact_tickets, sum(f_revenue) AS fact_revenue
    FROM
    (
        SELECT sales_date AS d, event_id, city, plan_tickets AS p_tickets, plan_revenue AS p_revenue,
               toUInt64(0) AS f_tickets, toDecimal64(0, 2) AS f_revenue
        FROM zakaz.plan_sales FINAL
        UNION ALL
        SELECT sales_date, event_id, city, toUInt64(0), toDecimal64(0, 2), tickets_sold, revenue
        FROM zakaz.fact_qtickets_sales_daily FINAL
    )
    GROUP BY d, event_id, city
)
WHERE plan_tickets != 0 OR plan_revenue != 0 OR fact_tickets != 0 OR fact_revenue != 0;

-- Freshness per source: the last successful load, the newest source timestamp, the lag and a
-- traffic light (green up to 2 h, amber up to 6 h, red beyond, on error or never loaded).
CREATE OR REPLACE VIEW bi.v_ops_freshness SQL SECURITY DEFINER AS
SELECT
    source,
    last_loaded_at,
    last_data_ts,
    if(last_loaded_at IS NULL, NULL, dateDiff('minute', last_loaded_at, now('UTC'))) AS lag_minutes,
    multiIf(
        last_status = 'error' OR last_loaded_at IS NULL, 'red',
        dateDiff('minute', last_loaded_at, now('UTC')) <= 120, 'green',
        dateDiff('minute', last_loaded_at, now('UTC')) <= 360, 'amber',
        'red') AS status
FROM
(
    SELECT
        source,
        maxOrNull(loaded_at) AS last_loaded_at,
        maxOrNull(data_ts) AS last_data_ts,
        argMaxIf(run_status, run_started_at, run_started_at IS NOT NULL) AS last_status
    FROM
    (
        SELECT arrayJoin(['qtickets', 'vk_ads']) AS source,
               CAST(NULL AS Nullable(DateTime('UTC'))) AS loaded_at, CAST(NULL AS Nullable(DateTime('UTC'))) AS data_ts,
               CAST(NULL AS Nullable(DateTime('UTC'))) AS run_started_at, '' AS run_status
        UNION ALL
        SELECT splitByChar('.', toString(job))[1] AS job_source, if(status = 'ok', finished_at, NULL), NULL, started_at, toString(status)
        FROM zakaz.meta_job_runs FINAL
        -- Jobs are named source.stream; pipeline jobs (facts.rebuild...) are not data sources.
        WHERE job_source IN ('qtickets', 'vk_ads')
        UNION ALL
        SELECT 'qtickets', NULL, toTimeZone(maxOrNull(updated_at), 'UTC'), NULL, ''
        FROM zakaz.stg_qtickets_api_orders_raw FINAL
        UNION ALL
        SELECT 'vk_ads', NULL, toTimeZone(toDateTime(maxOrNull(stat_date), 'UTC'), 'UTC'), NULL, ''
        FROM zakaz.stg_vk_ads_daily FINAL
    )
    GROUP BY source
);

-- The Qtickets subset, under the name the previous stack's datasets used.
CREATE OR REPLACE VIEW zakaz.v_qtickets_freshness SQL SECURITY DEFINER AS
SELECT source, last_loaded_at, last_data_ts, lag_minutes, status
FROM bi.v_ops_freshness
WHERE source = 'qtickets';
