-- A batch's word counts now reach word_counts as array upserts inside the transaction that commits
-- the batch, so the staging table goes. Rows left in it belong to uncommitted batches, which Spark
-- replays in full.
DROP TABLE word_count_deltas;
