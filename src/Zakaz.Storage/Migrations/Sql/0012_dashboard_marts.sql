-- The dashboard's marketing and plan numbers, stored. bi.v_marketing_daily, bi.v_campaign_daily
-- (0011) and bi.v_plan_vs_fact (0007) add two sides up at their grain on every read: on a year of a
-- mid-size promoter that is most of a page's time. The fact rebuild (FactBuilder) writes their rows
-- for the days it rebuilds into these marts, selecting from those very views, so the rules live in
-- one place; a key the new result lacks is rewritten with zeros, as in the facts. The *_mart views
-- read them with the same columns and rows as the views they store.

CREATE TABLE IF NOT EXISTS zakaz.dm_marketing_daily
(
    d Date COMMENT 'sale date of the sales, statistics date of the spend (Moscow)',
    city LowCardinality(String),
    event_id UInt64,
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
ORDER BY (d, city, event_id);

CREATE TABLE IF NOT EXISTS zakaz.dm_campaign_daily
(
    d Date COMMENT 'sale date of the sales, statistics date of the spend (Moscow)',
    city LowCardinality(String),
    event_id UInt64,
    source LowCardinality(String) COMMENT 'utm_source, lower-cased and trimmed',
    campaign String COMMENT 'utm_campaign, lower-cased and trimmed',
    revenue Decimal(18, 2),
    orders UInt64,
    spend Decimal(18, 2),
    clicks UInt64,
    impressions UInt64,
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(d)
ORDER BY (d, city, event_id, source, campaign);

-- The rows of bi.v_marketing_daily as of the last fact rebuild.
CREATE OR REPLACE VIEW bi.v_marketing_daily_mart SQL SECURITY DEFINER AS
SELECT d, city, event_id, revenue, orders, tickets_sold, spend, clicks, impressions
FROM zakaz.dm_marketing_daily FINAL
WHERE revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- The rows of bi.v_campaign_daily as of the last fact rebuild.
CREATE OR REPLACE VIEW bi.v_campaign_daily_mart SQL SECURITY DEFINER AS
SELECT d, city, event_id, source, campaign, revenue, orders, spend, clicks, impressions
FROM zakaz.dm_campaign_daily FINAL
WHERE revenue != 0 OR orders != 0 OR spend != 0 OR clicks != 0 OR impressions != 0;

-- The rows of bi.v_plan_vs_fact, written at each fact rebuild and each plan import for their days.
CREATE TABLE IF NOT EXISTS zakaz.dm_plan_vs_fact_daily
(
    d Date COMMENT 'the planned or actual sale date (Moscow)',
    event_id UInt64,
    city LowCardinality(String),
    plan_tickets UInt64,
    plan_revenue Decimal(18, 2),
    fact_tickets UInt64,
    fact_revenue Decimal(18, 2),
    diff Decimal(18, 2),
    diff_pct Nullable(Decimal(18, 4)) COMMENT 'the view''s Float64 rounded to 4 places, kept exactly (no floats in zakaz)',
    diff_tickets Int64,
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(d)
ORDER BY (d, event_id, city);

CREATE OR REPLACE VIEW bi.v_plan_vs_fact_mart SQL SECURITY DEFINER AS
SELECT d, event_id, city, plan_tickets, plan_revenue, fact_tickets, fact_revenue, diff, toFloat64(diff_pct) AS diff_pct, diff_tickets
FROM zakaz.dm_plan_vs_fact_daily FINAL
WHERE plan_tickets != 0 OR plan_revenue != 0 OR fact_tickets != 0 OR fact_revenue != 0;
