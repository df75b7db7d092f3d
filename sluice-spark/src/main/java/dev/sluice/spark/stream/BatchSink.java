package dev.sluice.spark.stream;

/**
 * Where a pipeline's micro-batch results go. {@link StreamingJob} has already looked the batch up
 * in the ledger: a sink sees only batches not yet committed, but may see one again after a crash
 * interrupted it, so per-record writes must be idempotent (upserts keyed by Kafka coordinates) and
 * cumulative results must go into {@link BatchLedger#commitOnce}.
 */
@FunctionalInterface
public interface BatchSink<B> {
  void write(BatchLedger.Batch batch, B results);
}
