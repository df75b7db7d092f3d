-- The test-realtime pipeline's table (test tree only): one row per record, keyed by its coordinates.
CREATE TABLE realtime_events (
  topic            text    NOT NULL,
  kafka_partition  integer NOT NULL,
  kafka_offset     bigint  NOT NULL,
  key              text    NOT NULL,
  doubled          bigint  NOT NULL,
  written_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (topic, kafka_partition, kafka_offset)
);
