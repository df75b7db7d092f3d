-- The test-tally pipeline's tables (test tree only).
CREATE TABLE tally_events (
  topic            text    NOT NULL,
  kafka_partition  integer NOT NULL,
  kafka_offset     bigint  NOT NULL,
  key              text    NOT NULL,
  amount           bigint  NOT NULL,
  batch_id         bigint  NOT NULL,
  PRIMARY KEY (topic, kafka_partition, kafka_offset)
);

CREATE TABLE tally_totals (
  key     text   PRIMARY KEY,
  amount  bigint NOT NULL,
  events  bigint NOT NULL
);
