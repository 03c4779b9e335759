-- What the built-in dashboard reads besides the views of 0007. It reads only bi (through the
-- reader role on a server), so everything a page filters by city and event is exposed here at
-- that grain. Same rules as 0007: FINAL on versioned tables, UNION ALL + GROUP BY instead of
-- outer joins, ratios from sums and NULL on a zero denominator, SQL SECURITY DEFINER.

-- The latest verdict of each data-quality check, written by the scheduler of `zakaz serve` after
-- each load (the checks read system tables and every zakaz table, too slow and too privileged
-- for a page request).
CREATE TABLE IF NOT EXISTS zakaz.meta_quality_checks
(
    check LowCardinality(String),
    checked_at DateTime('UTC'),
    status LowCardinality(String) COMMENT 'ok, fail or no_data',
    value Nullable(Decimal(38, 4)),
    unit LowCardinality(String),
    threshold String,
    detail String,
    _ver UInt64
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY check;

-- Events with their city and dates, for the filters and the names on every table.
CREATE OR REPLACE VIEW bi.v_events SQL SECURITY DEFINER AS
SELECT event_id, event_name, city, start_date, end_date, deleted
FROM zakaz.dim_events FINAL;

-- Sales and spend per day, city and event: marketing KPIs, spend against revenue and ROI by city
-- under the dashboard's city and event filters (bi.v_marketing_roi_daily has no event).
CREATE OR REPLACE VIEW bi.v_marketing_daily SQL SECURITY DEFINER AS
SELECT d, city, event_id, sum(sales_revenue) AS revenue, sum(sales_orders) AS orders, sum(sales_tickets) AS tickets_sold,
       sum(ad_spend) AS spend, sum(ad_clicks) AS clicks, sum(ad_impressions) AS impressions
FROM
(
    SELECT sales_date AS d, city, event_id,
           revenue AS sales_revenue, orders AS sales_orders, tickets_sold AS sales_tickets,
           toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
    FROM zakaz.fact_qtickets_sales_daily FINAL
    UNION ALL
    SELECT stat_date, city, event_id, toDecimal64(0, 2), toUInt64(0), toUInt64(0), spend, clicks, impressions
    FROM zakaz.dm_vk_ads_daily FINAL
)
GROUP BY d, city, event_id
HAVING revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- Sales (by the orders' UTM tags) and ad delivery (by the banners' UTM tags) per day, city, event,
-- source and campaign: the campaign table with clicks, and the share of revenue without UTM.
CREATE OR REPLACE VIEW bi.v_campaign_daily SQL SECURITY DEFINER AS
SELECT d, city, event_id, source, campaign,
       sum(sales_revenue) AS revenue, sum(sales_orders) AS orders,
       sum(ad_spend) AS spend, sum(ad_clicks) AS clicks, sum(ad_impressions) AS impressions
FROM
(
    SELECT sales_date AS d, city, event_id,
           lowerUTF8(trimBoth(toString(utm_source))) AS source, lowerUTF8(trimBoth(utm_campaign)) AS campaign,
           revenue AS sales_revenue, orders AS sales_orders,
           toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
    FROM zakaz.fact_qtickets_sales_utm_daily FINAL
    UNION ALL
    SELECT stat_date, city, event_id, lowerUTF8(trimBoth(toString(utm_source))), lowerUTF8(trimBoth(utm_campaign)),
           toDecimal64(0, 2), toUInt64(0), spend, clicks, impressions
    FROM zakaz.stg_vk_ads_daily FINAL
)
GROUP BY d, city, event_id, source, campaign
HAVING revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- Job runs as the Data health page lists them (a run still going has no duration).
CREATE OR REPLACE VIEW bi.v_ops_job_runs SQL SECURITY DEFINER AS
SELECT
    toString(job) AS job,
    run_id,
    started_at,
    finished_at,
    if(finished_at IS NULL, NULL, dateDiff('second', started_at, finished_at)) AS duration_s,
    toString(status) AS status,
    rows_processed,
    message
FROM zakaz.meta_job_runs FINAL;

CREATE OR REPLACE VIEW bi.v_ops_quality SQL SECURITY DEFINER AS
SELECT toString(check) AS check, checked_at, toString(status) AS status, value, toString(unit) AS unit, threshold, detail
FROM zakaz.meta_quality_checks FINAL;
