package dev.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every record of a topic, up to the end offsets it had when the read started: for checks and
 * latencies that need the records themselves (their partitions, offsets and Kafka timestamps). Read
 * the way the plain loop reads ({@link PlainLoopBaseline}), by one consumer.
 */
public final class TopicRecords {
  private TopicRecords() {}

  /** The records, each partition's in offset order (partitions interleaved). */
  public static List<ConsumerRecord<byte[], byte[]>> read(
      String kafka, String topic, Duration timeout) throws InterruptedException {
    PlainLoopBaseline.Result<Collected> result =
        PlainLoopBaseline.run(kafka, topic, 1, Collected::new, timeout, new AtomicLong());
    return result.threads().get(0).records;
  }

  private static final class Collected implements PlainLoopWork {
    final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();

    @Override
    public void accept(ConsumerRecord<byte[], byte[]> record) {
      records.add(record);
    }

    @Override
    public void accept(byte[] key, byte[] value) {
      throw new UnsupportedOperationException("the baseline hands over whole records");
    }
  }
}
