package dev.sluice.spark.testing;

import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/** Writes test records to a fresh topic with the producer settings Sluice itself uses. */
public final class TopicWriter {
  private TopicWriter() {}

  /** A record's key (which picks its partition) and value. */
  public record Keyed(String key, byte[] value) {}

  public static void write(String kafka, String topic, int partitions, List<byte[]> values)
      throws ExecutionException, InterruptedException {
    List<Keyed> records = new ArrayList<>(values.size());
    for (byte[] value : values) {
      records.add(new Keyed(Integer.toString(records.size()), value));
    }
    writeKeyed(kafka, topic, partitions, records);
  }

  /** Writes records with their own keys, so that records of one key share a partition. */
  public static void writeKeyed(String kafka, String topic, int partitions, List<Keyed> records)
      throws ExecutionException, InterruptedException {
    try (KafkaTopics topics = new KafkaTopics(kafka)) {
      topics.ensure(topic, partitions);
    }
    try (KafkaProducer<String, byte[]> producer = ReliableProducer.create(kafka, "sluice-test")) {
      List<Future<RecordMetadata>> acks = new ArrayList<>();
      for (Keyed record : records) {
        acks.add(producer.send(new ProducerRecord<>(topic, record.key(), record.value())));
      }
      for (Future<RecordMetadata> ack : acks) {
        ack.get();
      }
    }
  }

  /**
   * Writes the records in the background, in {@code slices} equal slices spread over {@code
   * duration}, so that a pipeline reading the topic is mid-stream whenever a test kills it. The
   * future completes once every record is acknowledged.
   */
  public static CompletableFuture<Void> writeOverTime(
      String kafka,
      String topic,
      int partitions,
      List<byte[]> values,
      int slices,
      Duration duration) {
    List<Keyed> records = new ArrayList<>(values.size());
    for (byte[] value : values) {
      records.add(new Keyed(Integer.toString(records.size()), value));
    }
    return writeKeyedOverTime(kafka, topic, partitions, records, slices, duration);
  }

  /** {@link #writeOverTime} with the records' own keys. */
  public static CompletableFuture<Void> writeKeyedOverTime(
      String kafka,
      String topic,
      int partitions,
      List<Keyed> values,
      int slices,
      Duration duration) {
    return CompletableFuture.runAsync(
        () -> {
          try {
            int size = (values.size() + slices - 1) / slices;
            for (int from = 0; from < values.size(); from += size) {
              writeKeyed(
                  kafka,
                  topic,
                  partitions,
                  values.subList(from, Math.min(values.size(), from + size)));
              Thread.sleep(duration.toMillis() / slices);
            }
          } catch (ExecutionException e) {
            throw new IllegalStateException("a test record was not written: " + e.getMessage(), e);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while writing test records", e);
          }
        });
  }
}
