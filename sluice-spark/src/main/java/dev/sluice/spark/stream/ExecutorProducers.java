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

  public static KafkaProducer<String, byte[]> producer(String bootstrapServers) {
    return PRODUCERS.computeIfAbsent(
        bootstrapServers,
        servers ->
            new KafkaProducer<>(ReliableProducer.perRecordProperties(servers, "sluice-results")));
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
