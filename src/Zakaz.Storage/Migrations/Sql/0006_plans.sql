-- Sales plans imported from CSV or a Google Sheet: sales_date,event_id,city,plan_tickets,plan_revenue.
-- An import rewrites its rows with a newer _ver.
CREATE TABLE IF NOT EXISTS zakaz.plan_sales
(
    sales_date Date,
    event_id UInt64,
    city LowCardinality(String),
    plan_tickets UInt64,
    plan_revenue Decimal(18, 2),
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(sales_date)
ORDER BY (sales_date, event_id, city);
