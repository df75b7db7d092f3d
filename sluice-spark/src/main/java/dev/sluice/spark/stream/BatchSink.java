package dev.sluice.spark.stream;

/**
 * Where a pipeline's micro-batch results go. Implementations must be idempotent per batch id:
 * after a crash Spark replays the last batch with the same id and the same input.
 */
@FunctionalInterface
public interface BatchSink<B> {
  void write(long batchId, B batch);
}
