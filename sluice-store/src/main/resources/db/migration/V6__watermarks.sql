-- Event-time watermarks that live beside the ledger, for queries that keep their windows in their
-- own tables instead of Spark's state store (the calls pipeline adds each batch's counts per hour to
-- calls_hourly). The row moves in the transaction that commits a batch in pipeline_batches, so a
-- batch replayed after a crash finds the watermark its first attempt found, and judges the same
-- records late.
--
-- newest_event: the newest event time the committed batches read; watermark: what the next batch is
-- judged by, a window that ends at or before it being closed (null until two batches committed);
-- late: records dropped so far because their window had closed; updated_seq: the ledger seq of the
-- batch that last moved the row.
CREATE TABLE watermarks (
  pipeline      text        NOT NULL,
  query         text        NOT NULL,
  newest_event  timestamptz NOT NULL,
  watermark     timestamptz,
  late          bigint      NOT NULL CHECK (late >= 0),
  updated_seq   bigint      NOT NULL,
  PRIMARY KEY (pipeline, query)
);
