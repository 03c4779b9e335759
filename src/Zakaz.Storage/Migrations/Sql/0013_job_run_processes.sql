-- Which process a run belongs to: its host, pid and that process's start time (a pid the system has
-- given again to another process must not pass for the run's). A run whose process is gone (killed,
-- crashed, out of memory) is marked error 'interrupted' by the next run instead of staying running.
ALTER TABLE zakaz.meta_job_runs
    ADD COLUMN IF NOT EXISTS host String DEFAULT '' COMMENT 'host name of the process that ran it; empty for runs recorded before 0013',
    ADD COLUMN IF NOT EXISTS pid UInt32 DEFAULT 0 COMMENT 'process id of that process',
    ADD COLUMN IF NOT EXISTS process_started_at Nullable(DateTime('UTC')) COMMENT 'when that process started (to the second)';

-- Freshness per source, as in 0007, except that the light follows the last FINISHED run: a run
-- still going has no outcome yet, and one whose process died has none either until the next run
-- marks it error 'interrupted' (which then counts as the failure it was).
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
        argMaxIf(run_status, run_started_at, run_started_at IS NOT NULL AND run_status != 'running') AS last_status
    FROM
    (
        SELECT arrayJoin(['qtickets', 'vk_ads']) AS source,
               CAST(NULL AS Nullable(DateTime('UTC'))) AS loaded_at, CAST(NULL AS Nullable(DateTime('UTC'))) AS data_ts,
               CAST(NULL AS Nullable(DateTime('UTC'))) AS run_started_at, '' AS run_status
        UNION ALL
        SELECT splitByChar('.', toString(job))[1] AS job_source, if(status = 'ok', finished_at, NULL), NULL, started_at, toString(status)
        FROM zakaz.meta_job_runs FINAL
        -- Jobs are named source.stream (qtickets.orders, qtickets.reconcile, vk_ads.daily...); pipeline
        -- jobs (facts.rebuild...) are not data sources.
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
