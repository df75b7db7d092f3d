-- Deduplication by a record's own id: the first record read with an id claims it, and any other
-- record with that id (an HTTP retry, a producer retry, a file replayed) is quarantined as a
-- duplicate instead of being counted again. A replayed batch finds its own claims, so it decides
-- the same way the first time did.
CREATE TABLE record_ids (
  pipeline         text    NOT NULL,
  id               text    NOT NULL,
  topic            text    NOT NULL,
  kafka_partition  integer NOT NULL,
  kafka_offset     bigint  NOT NULL,
  PRIMARY KEY (pipeline, id)
);
