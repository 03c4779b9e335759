-- What the pipeline records about itself. Status words are one vocabulary everywhere:
-- running, ok, error. A run is written twice (running, then ok or error) under the same
-- (job, run_id); the higher _ver wins, so readers use FINAL.
CREATE TABLE IF NOT EXISTS zakaz.meta_job_runs
(
    job LowCardinality(String),
    run_id String,
    started_at DateTime('UTC'),
    finished_at Nullable(DateTime('UTC')),
    status LowCardinality(String),
    rows_processed UInt64,
    message String,
    metrics String COMMENT 'JSON text: per-stream counts and timings',
    _ver UInt64
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY toYYYYMM(started_at)
ORDER BY (job, run_id);

-- A watermark moves only after the rows it covers are committed, so a killed run resumes
-- from the last committed position.
CREATE TABLE IF NOT EXISTS zakaz.meta_watermarks
(
    source LowCardinality(String),
    stream LowCardinality(String),
    value String,
    updated_at DateTime('UTC'),
    _ver UInt64
)
ENGINE = ReplacingMergeTree(_ver)
PARTITION BY tuple()
ORDER BY (source, stream);
