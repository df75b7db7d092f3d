-- The calls pipeline's table (docs/calls.md, docs/tables.md).

-- Police calls per hour of event time (call_date_time read as San Francisco time), call type and
-- disposition code, with the code's description from the radio codes ('unknown' for a code outside
-- them). count is the hour's full count so far: the query runs in update mode and each batch
-- upserts the full count of every key it changed, so a replayed batch writes the same values again.
-- updated_seq is the ledger seq of the batch that last wrote the row (the live feed's cursor).
CREATE TABLE calls_hourly (
  window_start  timestamptz NOT NULL,
  call_type     text        NOT NULL,
  disposition   text        NOT NULL,
  description   text        NOT NULL,
  count         bigint      NOT NULL CHECK (count > 0),
  updated_seq   bigint      NOT NULL,
  PRIMARY KEY (window_start, call_type, disposition)
);
CREATE INDEX calls_hourly_updated_seq ON calls_hourly (updated_seq);
