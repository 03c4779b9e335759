-- Qtickets staging, dimensions and facts. Staging holds one row per entity version, keyed by the
-- source's own id; personal data never lands here (buyers are a keyed hash, payloads are scrubbed).
-- Partitions use only values that never change for a key (created_at, snapshot_ts), so every
-- version of a row meets its predecessors in one partition and ReplacingMergeTree can replace it.

CREATE TABLE IF NOT EXISTS zakaz.stg_qtickets_api_orders_raw
(
    order_id UInt64,
    event_id UInt64,
    payed UInt8,
    payed_at Nullable(DateTime('Europe/Moscow')),
    created_at DateTime('Europe/Moscow'),
    updated_at DateTime('Europe/Moscow'),
    deleted_at Nullable(DateTime('Europe/Moscow')),
    sale_ts Nullable(DateTime('Europe/Moscow')) COMMENT '= payed_at: the sale timestamp',
    tickets_sold UInt32 COMMENT 'sold tickets of this order as loaded (facts recompute from tickets)',
    revenue Decimal(18, 2),
    refunded_amount Decimal(18, 2),
    currency LowCardinality(String),
    utm_source LowCardinality(String),
    utm_medium LowCardinality(String),
    utm_campaign String,
    utm_content String,
    utm_term String,
    promo_code_id Nullable(UInt64),
    discount_id Nullable(UInt64),
    buyer_key String COMMENT 'HMAC-SHA256 of the Qtickets client id with the deployment secret',
    payload_json String COMMENT 'the order without personal fields',
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(created_at)
ORDER BY order_id;

-- One row per basket (a ticket). quantity is 1 in every order seen, but the rules count it;
-- 0 means the API sent none, which counts as 1.
CREATE TABLE IF NOT EXISTS zakaz.stg_qtickets_api_tickets_raw
(
    basket_id UInt64,
    order_id UInt64,
    event_id UInt64,
    show_id UInt64,
    seat_id String,
    zone String,
    quantity UInt16,
    price Decimal(18, 2),
    original_price Decimal(18, 2),
    discount_value Nullable(Decimal(18, 2)),
    created_at DateTime('Europe/Moscow'),
    deleted_at Nullable(DateTime('Europe/Moscow')),
    refunded_at Nullable(DateTime('Europe/Moscow')),
    refunded_amount Decimal(18, 2),
    checked_at Nullable(DateTime('Europe/Moscow')),
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(created_at)
ORDER BY basket_id;

-- Events keep their deleted versions (flagged) because old orders refer to them. Dates come
-- from the event's non-deleted shows; null when it has none.
CREATE TABLE IF NOT EXISTS zakaz.dim_events
(
    event_id UInt64,
    event_name String,
    city LowCardinality(String) COMMENT 'canonical lower-case Russian name, via dim_city_alias',
    city_id UInt64,
    venue String,
    start_date Nullable(DateTime('Europe/Moscow')),
    end_date Nullable(DateTime('Europe/Moscow')),
    is_active UInt8,
    deleted UInt8,
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY event_id;

CREATE TABLE IF NOT EXISTS zakaz.dim_shows
(
    show_id UInt64,
    event_id UInt64,
    start_ts Nullable(DateTime('Europe/Moscow')),
    finish_ts Nullable(DateTime('Europe/Moscow')),
    sale_start_ts Nullable(DateTime('Europe/Moscow')),
    sale_finish_ts Nullable(DateTime('Europe/Moscow')),
    deleted UInt8,
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY show_id;

-- Inventory snapshots per show: capacity = sum of max_quantity, left = sum of free_quantity over
-- seats that are not disabled. Null (not zero) when the API gave no counts.
CREATE TABLE IF NOT EXISTS zakaz.stg_qtickets_api_inventory_raw
(
    snapshot_ts DateTime('Europe/Moscow'),
    event_id UInt64,
    show_id UInt64,
    city LowCardinality(String),
    tickets_total Nullable(UInt32),
    tickets_left Nullable(UInt32),
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(snapshot_ts)
ORDER BY (event_id, show_id, snapshot_ts);

-- The latest snapshot per event, summed over its non-deleted shows; rewritten after each
-- inventory load.
CREATE TABLE IF NOT EXISTS zakaz.fact_qtickets_inventory_latest
(
    snapshot_ts DateTime('Europe/Moscow'),
    event_id UInt64,
    event_name String,
    city LowCardinality(String),
    tickets_total Nullable(UInt32),
    tickets_left Nullable(UInt32),
    _ver UInt64
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY event_id;

-- Daily facts are derived from staging by SQL, a whole business day at a time with a new _ver;
-- a key that loses all its sales is rewritten with zeros, so the day reads zero, not its old total.
CREATE TABLE IF NOT EXISTS zakaz.fact_qtickets_sales_daily
(
    sales_date Date COMMENT 'payed_at as a date in Europe/Moscow',
    event_id UInt64,
    city LowCardinality(String),
    orders UInt64,
    tickets_sold UInt64,
    revenue Decimal(18, 2),
    refunded_amount Decimal(18, 2),
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(sales_date)
ORDER BY (sales_date, event_id, city);

CREATE TABLE IF NOT EXISTS zakaz.fact_qtickets_sales_utm_daily
(
    sales_date Date,
    event_id UInt64,
    city LowCardinality(String),
    utm_source LowCardinality(String),
    utm_medium LowCardinality(String),
    utm_campaign String,
    utm_content String,
    utm_term String,
    orders UInt64,
    tickets_sold UInt64,
    revenue Decimal(18, 2),
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(sales_date)
ORDER BY (sales_date, event_id, city, utm_source, utm_medium, utm_campaign, utm_content, utm_term);
