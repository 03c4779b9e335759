-- Secrets a store generates for itself (the buyer-key HMAC key), apart from the streams' state in
-- meta_watermarks: state may be reset or rewound, a secret must never change for its store, or the same
-- buyer gets another buyer_key. Values are sealed with the store's key; only the pipeline's writer role
-- reads the zakaz database, the bi views never do.
CREATE TABLE IF NOT EXISTS zakaz.meta_secrets
(
    name LowCardinality(String),
    value String,
    updated_at DateTime('UTC'),
    _ver UInt64
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY name;

-- The secret a store generated before keeps its value, so every buyer keeps its buyer_key. It is still
-- sealed for its old place: the pipeline opens it there once, seals it again for this table and deletes
-- the old rows (a migration only adds).
INSERT INTO zakaz.meta_secrets (name, value, updated_at, _ver)
SELECT stream, value, updated_at, _ver
FROM zakaz.meta_watermarks FINAL
WHERE source = 'zakaz' AND stream = 'buyer_key_secret'
    AND (SELECT count() FROM zakaz.meta_secrets WHERE name = 'buyer_key_secret') = 0;
