-- VK Ads (and any later ad source: same shape). Spend is roubles as the platform reports it
-- (VAT included, as reported), converted at the connector boundary. Recent days are restated by
-- the platform, so the connector re-pulls a window and writes it with a newer _ver.
CREATE TABLE IF NOT EXISTS zakaz.stg_vk_ads_daily
(
    stat_date Date,
    account_id UInt64,
    ad_plan_id UInt64,
    ad_group_id UInt64,
    banner_id UInt64,
    impressions UInt64,
    clicks UInt64,
    spend Decimal(18, 2),
    goals UInt64,
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
ORDER BY (stat_date, banner_id);

-- Campaigns (ad plans), ad groups and banners with their names, statuses and target URLs;
-- the UTM values are parsed from the target URL and lower-cased for matching.
CREATE TABLE IF NOT EXISTS zakaz.dim_vk_ads_objects
(
    object_type LowCardinality(String) COMMENT 'ad_plan, ad_group or banner',
    object_id UInt64,
    account_id UInt64,
    name String,
    status LowCardinality(String),
    ad_plan_id UInt64,
    ad_group_id UInt64,
    target_url String,
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

-- The ad mart: spend per day, city and event, rebuilt from staging like the sales facts.
-- stat_date leads the key so merges never fold different days together.
CREATE TABLE IF NOT EXISTS zakaz.dm_vk_ads_daily
(
    stat_date Date,
    city LowCardinality(String),
    event_id UInt64,
    impressions UInt64,
    clicks UInt64,
    spend Decimal(18, 2),
    _ver UInt64,
    _loaded_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(stat_date)
ORDER BY (stat_date, city, event_id);

-- User-editable rules that assign ad objects to a city and event when their UTM or name does not
-- say it. match_kind: ad_plan_id, ad_group_id, banner_id (exact id), utm_source, utm_medium,
-- utm_campaign, utm_content, utm_term (exact lower-cased value) or name (a LIKE pattern on the
-- object's name). Lower priority numbers win. A removed rule is kept with active = 0.
CREATE TABLE IF NOT EXISTS zakaz.map_campaigns
(
    source LowCardinality(String),
    match_kind LowCardinality(String),
    pattern String,
    city LowCardinality(String),
    event_id UInt64,
    priority Int32,
    active UInt8,
    note String,
    _ver UInt64,
    _updated_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY (source, match_kind, pattern);
