package dev.sluice.spark.bench;

import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.Tokenizer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The practical limit of this machine for the reviews workload: the work every pipeline must do at
 * the least, without Spark. Each of the threads is a KafkaConsumer assigned its share of the
 * topic's partitions (no consumer group, from the beginning), that decodes every record with {@link
 * ReviewCodec}, splits valid reviews with the same {@link Tokenizer} and counts words in its own
 * {@link HashMap}; the maps are merged at the end. A thread stops at its partitions' end offsets as
 * they were when it started, so the topic must be complete before.
 */
final class PlainLoopBaseline {
  private static final Duration POLL = Duration.ofMillis(200);

  private PlainLoopBaseline() {}

  /**
   * @param records Kafka records read
   * @param quarantined of which were not valid reviews
   * @param wordCounts occurrences of every word in the valid reviews
   * @param elapsed from starting the threads until the last one reached its end offsets
   */
  record Result(long records, long quarantined, Map<String, Long> wordCounts, Duration elapsed) {
    double perSecond() {
      return records / (elapsed.toNanos() / 1e9);
    }
  }

  /** One thread's share before merging. */
  private record Share(long records, long quarantined, Map<String, Long> wordCounts) {}

  /**
   * Reads the whole topic with {@code threads} threads.
   *
   * @param progress counts records read, for progress lines from another thread
   * @throws IllegalStateException when the threads did not reach the end within {@code timeout}
   */
  static Result run(
      String bootstrapServers, String topic, int threads, Duration timeout, AtomicLong progress)
      throws InterruptedException {
    List<List<TopicPartition>> shares = split(partitions(bootstrapServers, topic), threads);
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutorService pool =
        Executors.newFixedThreadPool(threads, r -> new Thread(r, "bench-plain-loop"));
    try {
      long start = System.nanoTime();
      List<Future<Share>> futures = new ArrayList<>();
      for (List<TopicPartition> share : shares) {
        futures.add(pool.submit(() -> read(bootstrapServers, share, deadline, progress)));
      }
      long records = 0;
      long quarantined = 0;
      Map<String, Long> counts = new HashMap<>();
      List<Share> done = new ArrayList<>();
      for (Future<Share> future : futures) {
        done.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      for (Share share : done) {
        records += share.records();
        quarantined += share.quarantined();
        share.wordCounts().forEach((word, count) -> counts.merge(word, count, Long::sum));
      }
      return new Result(records, quarantined, counts, elapsed);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "the plain loop failed: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the plain loop did not reach the end of "
              + topic
              + " within "
              + timeout.toSeconds()
              + " s");
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  /** Partitions dealt round-robin: with 4 partitions and 2 threads, {0, 2} and {1, 3}. */
  static List<List<TopicPartition>> split(List<TopicPartition> partitions, int threads) {
    List<List<TopicPartition>> shares = new ArrayList<>();
    for (int i = 0; i < Math.min(threads, partitions.size()); i++) {
      shares.add(new ArrayList<>());
    }
    for (int i = 0; i < partitions.size(); i++) {
      shares.get(i % shares.size()).add(partitions.get(i));
    }
    return shares;
  }

  private static List<TopicPartition> partitions(String bootstrapServers, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties(bootstrapServers))) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(30));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalStateException("topic " + topic + " has no partitions");
      }
      return infos.stream()
          .map(info -> new TopicPartition(topic, info.partition()))
          .sorted(Comparator.comparingInt(TopicPartition::partition))
          .toList();
    }
  }

  static Properties properties(String bootstrapServers) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-bench-plain-loop");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  private static Share read(
      String bootstrapServers,
      List<TopicPartition> partitions,
      long deadline,
      AtomicLong progress) {
    long records = 0;
    long quarantined = 0;
    Map<String, Long> counts = new HashMap<>();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties(bootstrapServers))) {
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Set<TopicPartition> unfinished = new HashSet<>();
      for (TopicPartition partition : partitions) {
        if (consumer.position(partition) < end.get(partition)) {
          unfinished.add(partition);
        }
      }
      while (!unfinished.isEmpty()) {
        if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("stopped before the end offsets of " + unfinished);
        }
        ConsumerRecords<byte[], byte[]> batch = consumer.poll(POLL);
        for (ConsumerRecord<byte[], byte[]> record : batch) {
          ReviewCodec.Decoded decoded = ReviewCodec.decode(record.value());
          if (decoded.ok()) {
            for (String word : Tokenizer.words(decoded.review().text())) {
              counts.merge(word, 1L, Long::sum);
            }
          } else {
            quarantined++;
          }
        }
        records += batch.count();
        progress.addAndGet(batch.count());
        unfinished.removeIf(partition -> consumer.position(partition) >= end.get(partition));
      }
    }
    return new Share(records, quarantined, counts);
  }
}
