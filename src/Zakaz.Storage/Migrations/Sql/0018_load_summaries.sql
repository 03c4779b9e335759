-- What every page's header asks for, kept as the loads write, instead of being scanned for on every
-- request: bi.v_ops_freshness read every staged order (FINAL) and every job run for one max per
-- source, and /api/filters read the sales facts for their first and last day. On a year of a mid-size
-- promoter those scans were most of a page's time (issue 15, "Instant pages").

-- Per job family (the part of a job's name before its first dot: qtickets, vk_ads, yandex_direct,
-- facts, quality...): the end of its last successful run, the status of its last finished run (by
-- start), and for the data sources the newest data their staging holds. The materialized views below
-- add to it as rows are inserted into zakaz.meta_job_runs and staging, whoever writes them (a sync,
-- the webhook, a reconcile, a restore), so it is current the moment a load is; merges fold its rows.
-- Stored data times only move forward: a source's order updated_at and ad stat_date never go back.
CREATE TABLE IF NOT EXISTS zakaz.meta_source_loads
(
    source LowCardinality(String),
    last_loaded_at SimpleAggregateFunction(max, Nullable(DateTime('UTC'))) COMMENT 'finished_at of the last successful run',
    last_loaded_ver SimpleAggregateFunction(max, UInt64) COMMENT 'the _ver (Unix ms) of that run''s end; 0 when none',
    last_data_ts SimpleAggregateFunction(max, Nullable(DateTime('UTC'))) COMMENT 'newest order update, or newest ad statistics day',
    last_run AggregateFunction(argMax, String, Tuple(DateTime('UTC'), UInt64)) COMMENT 'status of the finished run that started last'
)
ENGINE = AggregatingMergeTree
PARTITION BY tuple()
ORDER BY source;

-- A run is written when it starts (running) and again when it ends (ok or error, a higher _ver):
-- only the end counts, as bi.v_ops_freshness of 0016 read the last finished run.
CREATE MATERIALIZED VIEW IF NOT EXISTS zakaz.mv_source_loads_runs TO zakaz.meta_source_loads AS
SELECT
    splitByChar('.', toString(job))[1] AS source,
    maxIf(finished_at, status = 'ok') AS last_loaded_at,
    maxIf(_ver, status = 'ok') AS last_loaded_ver,
    CAST(NULL AS Nullable(DateTime('UTC'))) AS last_data_ts,
    argMaxStateIf(toString(status), (started_at, _ver), status != 'running') AS last_run
FROM zakaz.meta_job_runs
GROUP BY source;

CREATE MATERIALIZED VIEW IF NOT EXISTS zakaz.mv_source_loads_qtickets TO zakaz.meta_source_loads AS
SELECT
    'qtickets' AS source,
    CAST(NULL AS Nullable(DateTime('UTC'))) AS last_loaded_at,
    toUInt64(0) AS last_loaded_ver,
    CAST(toTimeZone(max(updated_at), 'UTC') AS Nullable(DateTime('UTC'))) AS last_data_ts,
    argMaxStateIf('', (toDateTime(0, 'UTC'), toUInt64(0)), 0) AS last_run
FROM zakaz.stg_qtickets_api_orders_raw;

CREATE MATERIALIZED VIEW IF NOT EXISTS zakaz.mv_source_loads_vk_ads TO zakaz.meta_source_loads AS
SELECT
    'vk_ads' AS source,
    CAST(NULL AS Nullable(DateTime('UTC'))) AS last_loaded_at,
    toUInt64(0) AS last_loaded_ver,
    CAST(toDateTime(max(stat_date), 'UTC') AS Nullable(DateTime('UTC'))) AS last_data_ts,
    argMaxStateIf('', (toDateTime(0, 'UTC'), toUInt64(0)), 0) AS last_run
FROM zakaz.stg_vk_ads_daily;

CREATE MATERIALIZED VIEW IF NOT EXISTS zakaz.mv_source_loads_yandex_direct TO zakaz.meta_source_loads AS
SELECT
    'yandex_direct' AS source,
    CAST(NULL AS Nullable(DateTime('UTC'))) AS last_loaded_at,
    toUInt64(0) AS last_loaded_ver,
    CAST(toDateTime(max(stat_date), 'UTC') AS Nullable(DateTime('UTC'))) AS last_data_ts,
    argMaxStateIf('', (toDateTime(0, 'UTC'), toUInt64(0)), 0) AS last_run
FROM zakaz.stg_yandex_direct_daily;

-- What a store migrated from an earlier version already holds (empty on a new store). A row a
-- load inserts while this runs is counted twice, which a max does not mind.
INSERT INTO zakaz.meta_source_loads
SELECT
    splitByChar('.', toString(job))[1] AS source,
    maxIf(finished_at, status = 'ok'),
    maxIf(_ver, status = 'ok'),
    CAST(NULL AS Nullable(DateTime('UTC'))),
    argMaxStateIf(toString(status), (started_at, _ver), status != 'running')
FROM zakaz.meta_job_runs FINAL
GROUP BY source;

INSERT INTO zakaz.meta_source_loads
SELECT 'qtickets', NULL, 0, CAST(toTimeZone(maxOrNull(updated_at), 'UTC') AS Nullable(DateTime('UTC'))), argMaxStateIf('', (toDateTime(0, 'UTC'), toUInt64(0)), 0)
FROM zakaz.stg_qtickets_api_orders_raw FINAL;

INSERT INTO zakaz.meta_source_loads
SELECT 'vk_ads', NULL, 0, CAST(toDateTime(maxOrNull(stat_date), 'UTC') AS Nullable(DateTime('UTC'))), argMaxStateIf('', (toDateTime(0, 'UTC'), toUInt64(0)), 0)
FROM zakaz.stg_vk_ads_daily FINAL;

INSERT INTO zakaz.meta_source_loads
SELECT 'yandex_direct', NULL, 0, CAST(toDateTime(maxOrNull(stat_date), 'UTC') AS Nullable(DateTime('UTC'))), argMaxStateIf('', (toDateTime(0, 'UTC'), toUInt64(0)), 0)
FROM zakaz.stg_yandex_direct_daily FINAL;

-- What the dashboard's filters offer that would otherwise be scanned for: the first and last sale
-- date with sales (the date filter's bounds, row sales_dates), written by every fact rebuild
-- (FactBuilder) when it ends, with the rebuild's _ver. The events and their cities are read from
-- bi.v_events (one row per event).
CREATE TABLE IF NOT EXISTS zakaz.meta_filter_options
(
    filter LowCardinality(String) COMMENT 'what the row bounds: sales_dates',
    min_date Nullable(Date) COMMENT 'first sale date with sales (Moscow); NULL before any sale',
    max_date Nullable(Date) COMMENT 'last sale date with sales (Moscow)',
    rebuilt_at DateTime('UTC') COMMENT 'when the fact rebuild that wrote it ended',
    _ver UInt64
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY filter;

INSERT INTO zakaz.meta_filter_options (filter, min_date, max_date, rebuilt_at, _ver)
SELECT 'sales_dates', minOrNull(sales_date), maxOrNull(sales_date), now('UTC'), 0
FROM zakaz.fact_qtickets_sales_daily FINAL
WHERE orders != 0 OR tickets_sold != 0 OR revenue != 0;

-- The date filter's bounds: the first and last day of bi.v_sales_daily.
CREATE OR REPLACE VIEW bi.v_filter_dates SQL SECURITY DEFINER AS
SELECT min_date, max_date
FROM zakaz.meta_filter_options FINAL
WHERE filter = 'sales_dates';

-- The data version the open pages poll: it moves when a load ends (a successful run of any job but
-- those that only read: alerts, the digest, backups) and when a fact rebuild ends (the webhook's
-- included). version is Unix milliseconds, 0 before any load; loaded_at is when, for the header.
CREATE OR REPLACE VIEW bi.v_data_version SQL SECURITY DEFINER AS
SELECT
    greatest(runs.ver, rebuilds.ver) AS version,
    nullIf(greatest(coalesce(runs.at, toDateTime(0, 'UTC')), coalesce(rebuilds.at, toDateTime(0, 'UTC'))), toDateTime(0, 'UTC')) AS loaded_at
FROM
(
    SELECT max(last_loaded_ver) AS ver, max(last_loaded_at) AS at
    FROM zakaz.meta_source_loads
    WHERE source NOT IN ('alerts', 'digest', 'store')
) AS runs
CROSS JOIN
(
    SELECT max(_ver) AS ver, CAST(maxOrNull(if(_ver = 0, NULL, rebuilt_at)) AS Nullable(DateTime('UTC'))) AS at
    FROM zakaz.meta_filter_options FINAL
    WHERE filter = 'sales_dates'
) AS rebuilds;

-- Freshness per source with the columns and meaning of 0016, read from zakaz.meta_source_loads.
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
    SELECT source, max(loaded_at) AS last_loaded_at, max(data_ts) AS last_data_ts, argMaxMerge(run) AS last_status
    FROM
    (
        SELECT arrayJoin(['qtickets', 'vk_ads', 'yandex_direct']) AS source,
               CAST(NULL AS Nullable(DateTime('UTC'))) AS loaded_at, CAST(NULL AS Nullable(DateTime('UTC'))) AS data_ts,
               argMaxStateIf('', (toDateTime(0, 'UTC'), toUInt64(0)), 0) AS run
        UNION ALL
        SELECT toString(source), last_loaded_at, last_data_ts, last_run
        FROM zakaz.meta_source_loads
        WHERE source IN ('qtickets', 'vk_ads', 'yandex_direct')
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

-- Which platform's ads carry each utm_source, as bi.v_ad_utm_sources of 0016 computed it from every
-- day of zakaz.dm_ads_daily on each read: the marketing page joins it in most of its calls. Every
-- fact rebuild writes the whole result anew with its _ver once the ad mart is rebuilt; only the rows
-- of the last rebuild count, so a utm_source no ad carries any more is gone as it was from the view.
CREATE TABLE IF NOT EXISTS zakaz.dm_ad_utm_sources
(
    utm_source String COMMENT 'lower-cased and trimmed, never empty',
    source LowCardinality(String) COMMENT 'the ad platform that spent most under it',
    spend Decimal(18, 2) COMMENT 'every platform''s spend under it, all days',
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY utm_source;

INSERT INTO zakaz.dm_ad_utm_sources (utm_source, source, spend, _ver, _loaded_at)
SELECT utm_source, source, spend, 0, now('UTC')
FROM bi.v_ad_utm_sources;

CREATE OR REPLACE VIEW bi.v_ad_utm_sources SQL SECURITY DEFINER AS
SELECT utm_source, toString(argMax(source, _ver)) AS source, toDecimal128(argMax(spend, _ver), 2) AS spend
FROM zakaz.dm_ad_utm_sources
GROUP BY utm_source
HAVING max(_ver) = (SELECT max(_ver) FROM zakaz.dm_ad_utm_sources);
