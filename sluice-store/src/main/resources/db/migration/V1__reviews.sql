-- Sluice schema, version 1: the exactly-once ledger, pipeline status and the reviews pipeline.
-- Every table is documented in docs/tables.md.

-- The exactly-once ledger: one row per micro-batch whose results are committed. A batch's
-- cumulative updates are applied in the same transaction that inserts its row here, so a batch
-- replayed after a crash finds its row and is not counted twice.
CREATE TABLE pipeline_batches (
  pipeline      text        NOT NULL,
  batch_id      bigint      NOT NULL,
  records       bigint      NOT NULL CHECK (records >= 0),
  quarantined   bigint      NOT NULL CHECK (quarantined >= 0),
  started_at    timestamptz NOT NULL,
  committed_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (pipeline, batch_id)
);

-- The live status of each pipeline, updated after every micro-batch.
CREATE TABLE pipelines (
  name                       text PRIMARY KEY,
  state                      text        NOT NULL,
  detail                     text,
  started_at                 timestamptz NOT NULL,
  updated_at                 timestamptz NOT NULL,
  last_batch_id              bigint,
  last_batch_duration_ms     bigint,
  input_rows_per_second      double precision,
  processed_rows_per_second  double precision,
  kafka_lag                  bigint
);

-- Records that could not be decoded, with the reason; one row per Kafka record.
CREATE TABLE quarantine (
  topic            text        NOT NULL,
  kafka_partition  integer     NOT NULL,
  kafka_offset     bigint      NOT NULL,
  pipeline         text        NOT NULL,
  batch_id         bigint      NOT NULL,
  reason           text        NOT NULL,
  raw_prefix       bytea       NOT NULL,
  raw_length       integer     NOT NULL,
  kafka_ts         timestamptz NOT NULL,
  PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
CREATE INDEX quarantine_pipeline_batch ON quarantine (pipeline, batch_id);

-- Word counts, cumulative over every review ever processed.
CREATE TABLE word_counts (
  word   text   PRIMARY KEY,
  count  bigint NOT NULL CHECK (count > 0)
);
CREATE INDEX word_counts_by_count ON word_counts (count DESC, word);

-- Each batch's word counts, written by the executors in parallel and folded into word_counts by
-- the batch's commit. Unlogged: after a database crash it is empty, and every batch whose deltas it
-- held is uncommitted, so Spark replays it and writes them again.
CREATE UNLOGGED TABLE word_count_deltas (
  batch_id  bigint NOT NULL,
  word      text   NOT NULL,
  count     bigint NOT NULL,
  PRIMARY KEY (batch_id, word)
);

-- One row per review: the model's prediction beside the ground truth.
CREATE TABLE predictions (
  topic            text             NOT NULL,
  kafka_partition  integer          NOT NULL,
  kafka_offset     bigint           NOT NULL,
  id               text             NOT NULL,
  batch_id         bigint           NOT NULL,
  excerpt          text             NOT NULL,
  predicted        text             NOT NULL CHECK (predicted IN ('pos', 'neg')),
  probability      double precision NOT NULL CHECK (probability >= 0 AND probability <= 1),
  truth            text             CHECK (truth IN ('pos', 'neg')),
  score            smallint         CHECK (score BETWEEN 1 AND 5),
  kafka_ts         timestamptz      NOT NULL,
  PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
CREATE INDEX predictions_batch ON predictions (batch_id);
CREATE INDEX predictions_id ON predictions (id);

-- Running accuracy: one row per committed micro-batch, cumulative since the first review.
CREATE TABLE accuracy (
  batch_id      bigint           PRIMARY KEY,
  reviews       bigint           NOT NULL,
  total         bigint           NOT NULL,
  correct       bigint           NOT NULL CHECK (correct <= total),
  accuracy      double precision,
  committed_at  timestamptz      NOT NULL DEFAULT clock_timestamp()
);
