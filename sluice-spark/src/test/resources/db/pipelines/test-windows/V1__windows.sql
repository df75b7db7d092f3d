-- The test-windows pipeline's table (test tree only): events per key and minute of event time.
CREATE TABLE window_counts (
  window_start  timestamptz NOT NULL,
  key           text        NOT NULL,
  events        bigint      NOT NULL,
  batch_id      bigint      NOT NULL,
  PRIMARY KEY (window_start, key)
);
