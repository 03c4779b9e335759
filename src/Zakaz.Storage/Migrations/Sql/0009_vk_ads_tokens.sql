-- OAuth tokens of the ad platforms, kept between runs: VK Ads allows five live tokens per client and
-- answers the sixth with 403, so a token is minted once, reused while it has life left, and renewed
-- with its refresh_token. Keyed by (host, client_id, agency_client); a renewal writes a newer _ver.
-- Only the pipeline's writer role reads it; the bi views never do.
CREATE TABLE IF NOT EXISTS zakaz.meta_oauth_tokens
(
    host String COMMENT 'scheme and authority of the API, e.g. https://ads.vk.com',
    client_id String,
    agency_client String COMMENT 'the agency client read with agency_client_credentials; empty for the own account',
    access_token String,
    refresh_token String,
    expires_at DateTime('UTC'),
    _ver UInt64,
    _updated_at DateTime('UTC')
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY (host, client_id, agency_client);
