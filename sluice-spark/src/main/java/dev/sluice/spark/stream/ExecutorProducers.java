package dev.sluice.spark.stream;

import dev.sluice.kafka.ReliableProducer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * One reliable Kafka producer ({@link ReliableProducer#perRecordProperties}: idempotent, {@code
 * acks=all}, no lingering) per Kafka cluster per JVM, shared by every task the JVM runs, as Spark's
 * own Kafka sink shares its producers: a producer per task and epoch would open its connections
 * again each time. Sends from one thread reach a partition in the order they were made.
 */
public final class ExecutorProducers {
  private static final ConcurrentMap<String, KafkaProducer<String, byte[]>> PRODUCERS =
      new ConcurrentHashMap<>();

  private ExecutorProducers() {}

  /** How long a stopping JVM waits for its producers to deliver what they hold. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return PRODUCERS.computeIfAbsent(bootstrapServers, ExecutorProducers::open);
  }

  private static KafkaProducer<String, byte[]> open(String servers) {
    KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(ReliableProducer.perRecordProperties(servers, "sluice-results"));
    // Stopped with SIGTERM, the JVM delivers what was sent: results of records that the last,
    // uncommitted epoch wrote would otherwise reach Kafka only when the epoch is replayed.
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(() -> producer.close(CLOSE_TIMEOUT), "sluice-results-producer-close"));
    return producer;
  }

  /**
   * Drops a producer whose send failed, so the next task starts a fresh one rather than use one
   * that may be in an error state.
   */
  public static void discard(String bootstrapServers, KafkaProducer<String, byte[]> producer) {
    if (PRODUCERS.remove(bootstrapServers, producer)) {
      producer.close(Duration.ZERO);
    }
  }
}
