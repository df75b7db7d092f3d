package dev.sluice.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
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
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The practical limit of this machine for a pipeline's workload: the work every implementation must
 * do at the least, without Spark. Each of the threads is a KafkaConsumer assigned its share of the
 * topic's partitions (no consumer group, from the beginning) that hands every record to its own
 * {@link PlainLoopWork}, which the pipeline's benchmark part supplies (for reviews: decode,
 * tokenize, count words in a map of its own). A thread stops at its partitions' end offsets as they
 * were when it started, so the topic must be complete before.
 */
final class PlainLoopBaseline {
  private static final Duration POLL = Duration.ofMillis(200);

  private PlainLoopBaseline() {}

  /**
   * @param records Kafka records read
   * @param threads each thread's work, with what it found
   * @param elapsed from starting the threads until the last one reached its end offsets
   */
  record Result<W>(long records, List<W> threads, Duration elapsed) {
    double perSecond() {
      return records / (elapsed.toNanos() / 1e9);
    }
  }

  /** One thread's share. */
  private record Share<W>(long records, W work) {}

  /**
   * Reads the whole topic with {@code threads} threads.
   *
   * @param progress counts records read, for progress lines from another thread
   * @throws IllegalStateException when the threads did not reach the end within {@code timeout}
   */
  static <W extends PlainLoopWork> Result<W> run(
      String bootstrapServers,
      String topic,
      int threads,
      Supplier<W> work,
      Duration timeout,
      AtomicLong progress)
      throws InterruptedException {
    List<List<TopicPartition>> shares = split(partitions(bootstrapServers, topic), threads);
    long deadline = System.nanoTime() + timeout.toNanos();
    ExecutorService pool =
        Executors.newFixedThreadPool(threads, r -> new Thread(r, "bench-plain-loop"));
    try {
      long start = System.nanoTime();
      List<Future<Share<W>>> futures = new ArrayList<>();
      for (List<TopicPartition> share : shares) {
        W thread = work.get();
        futures.add(pool.submit(() -> read(bootstrapServers, share, thread, deadline, progress)));
      }
      List<Share<W>> done = new ArrayList<>();
      for (Future<Share<W>> future : futures) {
        done.add(future.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
      }
      Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
      return new Result<>(
          done.stream().mapToLong(Share::records).sum(),
          done.stream().map(Share::work).toList(),
          elapsed);
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
        new KafkaConsumer<>(consumerProperties(bootstrapServers, "sluice-bench-plain-loop"))) {
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

  /** A consumer that reads assigned partitions from the beginning, outside any group. */
  static Properties consumerProperties(String bootstrapServers, String clientId) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    return props;
  }

  private static <W extends PlainLoopWork> Share<W> read(
      String bootstrapServers,
      List<TopicPartition> partitions,
      W work,
      long deadline,
      AtomicLong progress) {
    long records = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(consumerProperties(bootstrapServers, "sluice-bench-plain-loop"))) {
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
          work.accept(record);
        }
        records += batch.count();
        progress.addAndGet(batch.count());
        unfinished.removeIf(partition -> consumer.position(partition) >= end.get(partition));
      }
      work.finish();
    }
    return new Share<>(records, work);
  }
}
