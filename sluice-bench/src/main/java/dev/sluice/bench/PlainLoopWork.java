package dev.sluice.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one thread of the plain loop ({@link PlainLoopBaseline}) does with each record it reads;
 * called from that thread only. Results stay in memory, or go where the pipeline's go when storing
 * them is part of the work (the run's own schema, topics and Redis namespace).
 */
public interface PlainLoopWork {
  void accept(byte[] key, byte[] value);

  /**
   * The record with its Kafka metadata (partition, offset, timestamp); by default only its key and
   * value.
   */
  default void accept(ConsumerRecord<byte[], byte[]> record) {
    accept(record.key(), record.value());
  }

  /**
   * Called once after the thread's last record, inside the timed part: work that goes out in chunks
   * writes its last one here.
   */
  default void finish() {}
}
