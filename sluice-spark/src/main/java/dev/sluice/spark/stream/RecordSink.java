package dev.sluice.spark.stream;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * Where the real-time shape writes each decoded record, as it arrives: one sink per Kafka partition
 * and epoch, opened by the long-running task that reads the partition. Real-time mode replays from
 * its last checkpoint after a failure, so every write must be idempotent: a replayed record writes
 * the same result again.
 */
public interface RecordSink extends AutoCloseable {
  /** Writes one decoded record: {@link DecodeOrQuarantine#decode}'s columns and the pipeline's. */
  void write(Row row) throws Exception;

  /**
   * Ends the epoch: everything written must be durable when this returns, or it throws, so that the
   * epoch's offsets are never checkpointed past a result that was not delivered.
   */
  @Override
  void close() throws Exception;

  /** Opens the sinks on the executors: serializable, since Spark ships it to every task. */
  @FunctionalInterface
  interface Factory extends Serializable {
    RecordSink open(long partitionId, long epochId) throws Exception;
  }
}
