-- The ledger knows which checkpoint committed each batch, and what it read.
--
-- Spark numbers a query's micro-batches from 0 in each new checkpoint, so (pipeline, batch_id) does
-- not name a batch: a deleted checkpoint would make every new batch look like a replay. A batch is
-- now keyed by the checkpoint's identity (the query id Spark keeps in it) and its batch id, and
-- records the Kafka offsets it read up to. Pipeline tables refer to a committed batch by its `seq`,
-- the count of the query's batches committed before it, which keeps growing across checkpoints, so
-- "newer than batch N" keeps its meaning; a replayed batch gets the same seq as its first attempt.
ALTER TABLE pipeline_batches
  ADD COLUMN query        text,
  ADD COLUMN query_id     text,
  ADD COLUMN seq          bigint,
  ADD COLUMN end_offsets  jsonb;

-- Rows from before: the pipeline's one query, an unknown checkpoint (adopted by the first start that
-- finds its checkpoint), and a seq equal to the batch id the pipeline tables already use.
UPDATE pipeline_batches SET query = pipeline, query_id = '', seq = batch_id;

ALTER TABLE pipeline_batches
  ALTER COLUMN query SET NOT NULL,
  ALTER COLUMN query_id SET NOT NULL,
  ALTER COLUMN seq SET NOT NULL,
  DROP CONSTRAINT pipeline_batches_pkey,
  ADD PRIMARY KEY (pipeline, query_id, batch_id),
  ADD CONSTRAINT pipeline_batches_seq_key UNIQUE (pipeline, query, seq);

-- Two pipelines may read the same topic; each quarantines its own records.
ALTER TABLE quarantine
  DROP CONSTRAINT quarantine_pkey,
  ADD PRIMARY KEY (pipeline, topic, kafka_partition, kafka_offset);
