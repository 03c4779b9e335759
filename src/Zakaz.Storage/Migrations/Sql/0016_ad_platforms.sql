-- Yandex Direct beside VK Ads, and one ad model for every platform (data-model.md, "Every ad source").
-- Each platform keeps its own staging and object tables, shaped by what it reports; every one lands
-- in zakaz.dm_ads_daily (the fact rebuild writes it from each platform's staging), and every ROI view
-- reads spend from there, so a later platform changes no view. The views of 0007, 0010, 0011 and 0013
-- that read VK Ads tables are redefined here with the same columns (BI datasets depend on them).

-- Spend per day and ad as the Reports service gives it (roubles, VAT as YANDEX_DIRECT_INCLUDE_VAT
-- asked for), the ad's UTM values after Direct's tracking parameters and macros, and the city and
-- event the campaign mapping gave it. A day Direct restated to zero is rewritten with zeros.
CREATE TABLE IF NOT EXISTS zakaz.stg_yandex_direct_daily
(
    stat_date Date,
    client_login LowCardinality(String) COMMENT 'the advertiser read through an agency token; empty for an own account',
    campaign_id UInt64,
    ad_group_id UInt64 COMMENT '0 for campaign types without ad groups in reports',
    ad_id UInt64,
    impressions UInt64,
    clicks UInt64,
    spend Decimal(18, 2),
    utm_source LowCardinality(String),
    utm_medium LowCardinality(String),
    utm_campaign String,
    utm_content String,
    utm_term String,
    city LowCardinality(String) COMMENT 'assigned by map_campaigns or conventions; unknown when nothing matched',
    event_id UInt64 COMMENT '0 when no event is assigned',
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(stat_date)
ORDER BY (stat_date, campaign_id, ad_group_id, ad_id);

-- Campaigns, ad groups and ads of every state (archived ads keep their spend in reports), with the
-- link and tracking parameters as Direct returns them (macros literal) and the effective UTM values.
CREATE TABLE IF NOT EXISTS zakaz.dim_yandex_direct_objects
(
    object_type LowCardinality(String) COMMENT 'campaign, ad_group or ad',
    object_id UInt64,
    campaign_id UInt64,
    ad_group_id UInt64,
    name String,
    state LowCardinality(String),
    status LowCardinality(String),
    type LowCardinality(String),
    href String COMMENT 'the ad''s link (TextAd.Href or the link field of its type)',
    tracking_params String COMMENT 'the ad group''s or campaign''s TrackingParams',
    utm_source LowCardinality(String),
    utm_medium LowCardinality(String),
    utm_campaign String,
    utm_content String,
    utm_term String,
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY (object_type, object_id);

-- Spend of every platform per day, city, event and campaign. A campaign's ads that carry different
-- UTM values (an untagged ad beside tagged ones) stay apart, so campaign ROI by UTM stays exact:
-- utm_source and utm_campaign close the key.
CREATE TABLE IF NOT EXISTS zakaz.dm_ads_daily
(
    stat_date Date,
    source LowCardinality(String) COMMENT 'the ad platform: vk_ads or yandex_direct',
    city LowCardinality(String),
    event_id UInt64,
    campaign_id UInt64,
    campaign_name String,
    utm_source LowCardinality(String) COMMENT 'lower-cased and trimmed',
    utm_campaign String COMMENT 'lower-cased and trimmed',
    impressions UInt64,
    clicks UInt64,
    spend Decimal(18, 2),
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(stat_date)
ORDER BY (stat_date, source, city, event_id, campaign_id, utm_source, utm_campaign);

-- How stale each source may get before its light turns amber and red, from configuration
-- (ZAKAZ_FRESHNESS_*), written by `zakaz serve` when it starts; a source without a row uses the
-- defaults in bi.v_ops_freshness.
CREATE TABLE IF NOT EXISTS zakaz.meta_freshness_thresholds
(
    source LowCardinality(String),
    amber_after_minutes UInt32,
    red_after_minutes UInt32,
    _ver UInt64
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY source;

-- Ad delivery and spend per day, platform, city, event and campaign (the data model's grain): a
-- campaign whose ads carry different UTM values shows those of the ads that spent most; the
-- campaign views by UTM (bi.v_romi_by_campaign, bi.v_campaign_daily) keep them apart.
CREATE OR REPLACE VIEW bi.v_ad_spend_daily SQL SECURITY DEFINER AS
SELECT
    d,
    source,
    city,
    event_id,
    campaign_id,
    campaign_name,
    utm_source,
    utm_campaign,
    impressions,
    clicks,
    spend,
    if(impressions = 0, NULL, round(clicks / impressions, 6)) AS ctr,
    if(clicks = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) / clicks, 2), 2)) AS cpc,
    if(impressions = 0, NULL, toDecimal64(round(toDecimal128(spend, 6) * 1000 / impressions, 2), 2)) AS cpm
FROM
(
    SELECT stat_date AS d, toString(source) AS source, toString(city) AS city, event_id, campaign_id,
           max(campaign_name) AS campaign_name, argMax(tag_source, tag_spend) AS utm_source, argMax(tag_campaign, tag_spend) AS utm_campaign,
           sum(tag_impressions) AS impressions, sum(tag_clicks) AS clicks, sum(tag_spend) AS spend
    FROM
    (
        SELECT stat_date, source, city, event_id, campaign_id, any(campaign_name) AS campaign_name,
               toString(utm_source) AS tag_source, utm_campaign AS tag_campaign,
               sum(impressions) AS tag_impressions, sum(clicks) AS tag_clicks, sum(spend) AS tag_spend
        FROM zakaz.dm_ads_daily FINAL
        GROUP BY stat_date, source, city, event_id, campaign_id, utm_source, utm_campaign
    )
    GROUP BY stat_date, source, city, event_id, campaign_id
)
WHERE impressions != 0 OR clicks != 0 OR spend != 0;

-- Which platform's ads carry each utm_source (the one that spent most under it), so orders tagged
-- with it can be counted for that platform; a utm_source no loaded platform carries (telegram, a
-- newsletter) has no row.
CREATE OR REPLACE VIEW bi.v_ad_utm_sources SQL SECURITY DEFINER AS
SELECT utm_source, argMax(platform, platform_spend) AS source, sum(platform_spend) AS spend
FROM
(
    SELECT lowerUTF8(trimBoth(toString(utm_source))) AS utm_source, toString(source) AS platform, sum(spend) AS platform_spend
    FROM zakaz.dm_ads_daily FINAL
    WHERE utm_source != ''
    GROUP BY utm_source, platform
)
GROUP BY utm_source;

-- VK Ads alone, as before (compat).
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
    FROM zakaz.dm_ads_daily FINAL
    WHERE source = 'vk_ads'
    GROUP BY stat_date, city
)
WHERE impressions != 0 OR clicks != 0 OR spend != 0;

-- City-day ROI with the spend of every platform.
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
            sales_date AS d, toString(city) AS city,
            revenue AS sales_revenue, orders AS sales_orders, tickets_sold AS sales_tickets,
            toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
        FROM zakaz.fact_qtickets_sales_daily FINAL
        UNION ALL
        SELECT
            stat_date AS d, toString(city),
            toDecimal64(0, 2), toUInt64(0), toUInt64(0),
            spend, clicks, impressions
        FROM zakaz.dm_ads_daily FINAL
    )
    GROUP BY d, city
)
WHERE revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- Campaign ROI by UTM with the spend of every platform; source is utm_source, as before.
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
        FROM zakaz.dm_ads_daily FINAL
    )
    GROUP BY d, source, campaign
)
WHERE revenue != 0 OR orders != 0 OR spend != 0;

-- Event ROI with the spend of every platform.
CREATE OR REPLACE VIEW bi.v_marketing_roi_by_event SQL SECURITY DEFINER AS
SELECT
    r.d AS d,
    r.event_id AS event_id,
    e.event_name AS event_name,
    e.city AS city,
    r.revenue AS revenue,
    r.orders AS orders,
    r.tickets_sold AS tickets_sold,
    r.spend AS spend,
    r.clicks AS clicks,
    r.impressions AS impressions,
    if(r.spend = 0, NULL, round(toFloat64(r.revenue) / toFloat64(r.spend), 4)) AS roas,
    if(r.spend = 0, NULL, round((toFloat64(r.revenue) - toFloat64(r.spend)) / toFloat64(r.spend), 4)) AS romi,
    if(r.orders = 0, NULL, toDecimal64(round(toDecimal128(r.spend, 6) / r.orders, 2), 2)) AS cpo,
    if(r.tickets_sold = 0, NULL, toDecimal64(round(toDecimal128(r.spend, 6) / r.tickets_sold, 2), 2)) AS cpt,
    if(r.clicks = 0, NULL, toDecimal64(round(toDecimal128(r.spend, 6) / r.clicks, 2), 2)) AS cpc
FROM
(
    SELECT
        d,
        event_id,
        sum(sales_revenue) AS revenue,
        sum(sales_orders) AS orders,
        sum(sales_tickets) AS tickets_sold,
        sum(ad_spend) AS spend,
        sum(ad_clicks) AS clicks,
        sum(ad_impressions) AS impressions
    FROM
    (
        SELECT
            sales_date AS d, event_id,
            revenue AS sales_revenue, orders AS sales_orders, tickets_sold AS sales_tickets,
            toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
        FROM zakaz.fact_qtickets_sales_daily FINAL
        UNION ALL
        SELECT
            stat_date AS d, event_id,
            toDecimal64(0, 2), toUInt64(0), toUInt64(0),
            spend, clicks, impressions
        FROM zakaz.dm_ads_daily FINAL
    )
    GROUP BY d, event_id
) AS r
LEFT JOIN (SELECT event_id, event_name, city FROM zakaz.dim_events FINAL) AS e ON e.event_id = r.event_id
WHERE r.revenue != 0 OR r.orders != 0 OR r.spend != 0 OR r.clicks != 0 OR r.impressions != 0;

-- The dashboard's marketing rows with the spend of every platform.
CREATE OR REPLACE VIEW bi.v_marketing_daily SQL SECURITY DEFINER AS
SELECT d, city, event_id, sum(sales_revenue) AS revenue, sum(sales_orders) AS orders, sum(sales_tickets) AS tickets_sold,
       sum(ad_spend) AS spend, sum(ad_clicks) AS clicks, sum(ad_impressions) AS impressions
FROM
(
    SELECT sales_date AS d, toString(city) AS city, event_id,
           revenue AS sales_revenue, orders AS sales_orders, tickets_sold AS sales_tickets,
           toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
    FROM zakaz.fact_qtickets_sales_daily FINAL
    UNION ALL
    SELECT stat_date, toString(city), event_id, toDecimal64(0, 2), toUInt64(0), toUInt64(0), spend, clicks, impressions
    FROM zakaz.dm_ads_daily FINAL
)
GROUP BY d, city, event_id
HAVING revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- The campaign table's rows with the spend of every platform.
CREATE OR REPLACE VIEW bi.v_campaign_daily SQL SECURITY DEFINER AS
SELECT d, city, event_id, source, campaign,
       sum(sales_revenue) AS revenue, sum(sales_orders) AS orders,
       sum(ad_spend) AS spend, sum(ad_clicks) AS clicks, sum(ad_impressions) AS impressions
FROM
(
    SELECT sales_date AS d, toString(city) AS city, event_id,
           lowerUTF8(trimBoth(toString(utm_source))) AS source, lowerUTF8(trimBoth(utm_campaign)) AS campaign,
           revenue AS sales_revenue, orders AS sales_orders,
           toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
    FROM zakaz.fact_qtickets_sales_utm_daily FINAL
    UNION ALL
    SELECT stat_date, toString(city), event_id, lowerUTF8(trimBoth(toString(utm_source))), lowerUTF8(trimBoth(utm_campaign)),
           toDecimal64(0, 2), toUInt64(0), spend, clicks, impressions
    FROM zakaz.dm_ads_daily FINAL
)
GROUP BY d, city, event_id, source, campaign
HAVING revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- Sales by the orders' utm_source and spend by ad platform, per day, city and event: what
-- bi.v_marketing_source_daily attributes to platforms. Stored (zakaz.dm_marketing_source_daily)
-- before attribution, so a stored day never keeps an attribution that a platform's later ads change.
CREATE OR REPLACE VIEW zakaz.v_marketing_utm_source_daily SQL SECURITY DEFINER AS
SELECT d, city, event_id, platform, utm_source, sum(sales_revenue) AS revenue, sum(sales_orders) AS orders, sum(sales_tickets) AS tickets_sold,
       sum(ad_spend) AS spend, sum(ad_clicks) AS clicks, sum(ad_impressions) AS impressions
FROM
(
    SELECT sales_date AS d, toString(city) AS city, event_id, '' AS platform, lowerUTF8(trimBoth(toString(utm_source))) AS utm_source,
           revenue AS sales_revenue, orders AS sales_orders, tickets_sold AS sales_tickets,
           toDecimal64(0, 2) AS ad_spend, toUInt64(0) AS ad_clicks, toUInt64(0) AS ad_impressions
    FROM zakaz.fact_qtickets_sales_utm_daily FINAL
    UNION ALL
    SELECT stat_date, toString(city), event_id, toString(source), '', toDecimal64(0, 2), toUInt64(0), toUInt64(0), spend, clicks, impressions
    FROM zakaz.dm_ads_daily FINAL
)
GROUP BY d, city, event_id, platform, utm_source
HAVING revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- Sales and spend per day, city, event and ad platform: spend where the platform reports it, sales
-- under the platform whose ads carry the orders' utm_source (bi.v_ad_utm_sources), else under ''
-- (organic, untagged, or a source no loaded platform reports). Summed over platforms it equals
-- bi.v_marketing_daily.
CREATE OR REPLACE VIEW bi.v_marketing_source_daily SQL SECURITY DEFINER AS
SELECT d, city, event_id, source, sum(revenue) AS revenue, sum(orders) AS orders, sum(tickets_sold) AS tickets_sold,
       sum(spend) AS spend, sum(clicks) AS clicks, sum(impressions) AS impressions
FROM
(
    -- Spend rows have no utm_source and bi.v_ad_utm_sources no empty one, so only sales rows meet a platform here.
    SELECT m.d AS d, m.city AS city, m.event_id AS event_id, if(m.platform != '', m.platform, coalesce(nullIf(p.source, ''), '')) AS source,
           m.revenue AS revenue, m.orders AS orders, m.tickets_sold AS tickets_sold, m.spend AS spend, m.clicks AS clicks, m.impressions AS impressions
    FROM zakaz.v_marketing_utm_source_daily AS m
    LEFT JOIN (SELECT utm_source, source FROM bi.v_ad_utm_sources) AS p ON p.utm_source = m.utm_source
)
GROUP BY d, city, event_id, source;

-- The rows of zakaz.v_marketing_utm_source_daily as of the last fact rebuild, stored like the marts
-- of 0012, and bi.v_marketing_source_daily from them (the dashboard reads it when one platform is chosen).
CREATE TABLE IF NOT EXISTS zakaz.dm_marketing_source_daily
(
    d Date COMMENT 'sale date of the sales, statistics date of the spend (Moscow)',
    city LowCardinality(String),
    event_id UInt64,
    platform LowCardinality(String) COMMENT 'the ad platform of spend rows; empty for sales rows',
    utm_source LowCardinality(String) COMMENT 'the utm_source of sales rows, lower-cased and trimmed; empty for spend rows',
    revenue Decimal(18, 2),
    orders UInt64,
    tickets_sold UInt64,
    spend Decimal(18, 2),
    clicks UInt64,
    impressions UInt64,
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(d)
ORDER BY (d, platform, utm_source, city, event_id);

CREATE OR REPLACE VIEW bi.v_marketing_source_daily_mart SQL SECURITY DEFINER AS
SELECT d, city, event_id, source, sum(revenue) AS revenue, sum(orders) AS orders, sum(tickets_sold) AS tickets_sold,
       sum(spend) AS spend, sum(clicks) AS clicks, sum(impressions) AS impressions
FROM
(
    SELECT m.d AS d, toString(m.city) AS city, m.event_id AS event_id,
           if(m.platform != '', toString(m.platform), coalesce(nullIf(p.source, ''), '')) AS source,
           m.revenue AS revenue, m.orders AS orders, m.tickets_sold AS tickets_sold, m.spend AS spend, m.clicks AS clicks, m.impressions AS impressions
    FROM zakaz.dm_marketing_source_daily AS m FINAL
    LEFT JOIN (SELECT utm_source, source FROM bi.v_ad_utm_sources) AS p ON p.utm_source = toString(m.utm_source)
)
GROUP BY d, city, event_id, source
HAVING revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- Freshness per source as in 0013, with Yandex Direct, and the amber and red thresholds of each
-- source from zakaz.meta_freshness_thresholds (defaults: 2 h and 6 h; Direct, loaded every 3 h,
-- 4 h and 12 h), shown beside the light so every reader judges by the same numbers.
CREATE OR REPLACE VIEW bi.v_ops_freshness SQL SECURITY DEFINER AS
SELECT
    f.source AS source,
    f.last_loaded_at AS last_loaded_at,
    f.last_data_ts AS last_data_ts,
    if(f.last_loaded_at IS NULL, NULL, dateDiff('minute', f.last_loaded_at, now('UTC'))) AS lag_minutes,
    multiIf(
        f.last_status = 'error' OR f.last_loaded_at IS NULL, 'red',
        dateDiff('minute', f.last_loaded_at, now('UTC')) <= t.amber_after, 'green',
        dateDiff('minute', f.last_loaded_at, now('UTC')) <= t.red_after, 'amber',
        'red') AS status,
    t.amber_after AS amber_after_minutes,
    t.red_after AS red_after_minutes
FROM
(
    SELECT
        source,
        maxOrNull(loaded_at) AS last_loaded_at,
        maxOrNull(data_ts) AS last_data_ts,
        argMaxIf(run_status, run_started_at, run_started_at IS NOT NULL AND run_status != 'running') AS last_status
    FROM
    (
        SELECT arrayJoin(['qtickets', 'vk_ads', 'yandex_direct']) AS source,
               CAST(NULL AS Nullable(DateTime('UTC'))) AS loaded_at, CAST(NULL AS Nullable(DateTime('UTC'))) AS data_ts,
               CAST(NULL AS Nullable(DateTime('UTC'))) AS run_started_at, '' AS run_status
        UNION ALL
        SELECT splitByChar('.', toString(job))[1] AS job_source, if(status = 'ok', finished_at, NULL), NULL, started_at, toString(status)
        FROM zakaz.meta_job_runs FINAL
        -- Jobs are named source.stream (qtickets.orders, vk_ads.daily, yandex_direct.daily...);
        -- pipeline jobs (facts.rebuild...) are not data sources.
        WHERE job_source IN ('qtickets', 'vk_ads', 'yandex_direct')
        UNION ALL
        SELECT 'qtickets', NULL, toTimeZone(maxOrNull(updated_at), 'UTC'), NULL, ''
        FROM zakaz.stg_qtickets_api_orders_raw FINAL
        UNION ALL
        SELECT 'vk_ads', NULL, toTimeZone(toDateTime(maxOrNull(stat_date), 'UTC'), 'UTC'), NULL, ''
        FROM zakaz.stg_vk_ads_daily FINAL
        UNION ALL
        SELECT 'yandex_direct', NULL, toTimeZone(toDateTime(maxOrNull(stat_date), 'UTC'), 'UTC'), NULL, ''
        FROM zakaz.stg_yandex_direct_daily FINAL
    )
    GROUP BY source
) AS f
INNER JOIN
(
    SELECT source, argMax(amber_after, configured) AS amber_after, argMax(red_after, configured) AS red_after
    FROM
    (
        SELECT tupleElement(d, 1) AS source, toUInt32(tupleElement(d, 2)) AS amber_after, toUInt32(tupleElement(d, 3)) AS red_after, 0 AS configured
        FROM (SELECT arrayJoin([('qtickets', 120, 360), ('vk_ads', 120, 360), ('yandex_direct', 240, 720)]) AS d)
        UNION ALL
        SELECT toString(source), amber_after_minutes, red_after_minutes, 1
        FROM zakaz.meta_freshness_thresholds FINAL
    )
    GROUP BY source
) AS t ON t.source = f.source;
