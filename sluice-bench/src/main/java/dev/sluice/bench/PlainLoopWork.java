package dev.sluice.bench;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What one thread of the plain loop ({@link PlainLoopBaseline}) does with each record it reads,
 * keeping its results in memory; called from that thread only.
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
}
