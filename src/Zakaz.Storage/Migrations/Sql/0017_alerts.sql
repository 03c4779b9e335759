-- What the alerts of zakaz serve did: each change of an alert's state (firing, resolved) and each
-- message sent for it, or that failed, per channel. Rows are only added: the alert engine reads its own
-- history to know what it has already said, so a restart sends nothing twice. An episode of an alert is
-- (alert, since): it starts when the alert fires and ends with its resolved row.
CREATE TABLE IF NOT EXISTS zakaz.meta_alerts
(
    at DateTime64(3, 'UTC'),
    alert String COMMENT 'rule:subject, e.g. job_failed:vk_ads.daily',
    rule LowCardinality(String) COMMENT 'job_failed, source_stale, quality_failed, unmapped_spend or backup_missing',
    subject String COMMENT 'what the rule found wrong: a job, a source, a check',
    since DateTime64(3, 'UTC') COMMENT 'when this episode of the alert began firing',
    event LowCardinality(String) COMMENT 'firing or resolved (state changes); notified or failed (deliveries)',
    notice LowCardinality(String) COMMENT 'deliveries only: firing, reminder or resolved',
    channel LowCardinality(String) COMMENT 'deliveries only: telegram or email',
    summary String COMMENT 'what is wrong, in Russian, as the message said it',
    error String COMMENT 'failed deliveries only: why'
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(at)
ORDER BY (alert, since, at);

-- One row per episode of an alert: firing until its resolved row, with what was delivered.
CREATE OR REPLACE VIEW bi.v_ops_alerts SQL SECURITY DEFINER AS
SELECT
    alert,
    any(rule) AS rule,
    any(subject) AS subject,
    if(countIf(event = 'resolved') > 0, 'resolved', 'firing') AS status,
    since AS started_at,
    minOrNullIf(at, event = 'resolved') AS resolved_at,
    argMaxIf(summary, at, event = 'firing') AS summary,
    countIf(event = 'notified') AS notifications,
    countIf(event = 'failed') AS failed_deliveries,
    maxOrNullIf(at, event = 'notified') AS last_notified_at,
    argMaxIf(error, at, event = 'failed') AS last_error
FROM zakaz.meta_alerts
GROUP BY alert, since;
