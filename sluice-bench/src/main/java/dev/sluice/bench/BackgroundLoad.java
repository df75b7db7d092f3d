package dev.sluice.bench;

import dev.sluice.loadgen.Pacer;
import dev.sluice.loadgen.TrackedSends;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Sends a benchmark's records to a topic on a thread of its own, as fast as the producer takes them
 * or at a steady rate ({@link Pacer}), so the caller can watch the pipeline and print progress
 * meanwhile, and stop the load when it takes too long.
 */
final class BackgroundLoad implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final TrackedSends sends;
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private final Thread thread;

  /**
   * @param sent records the broker acknowledged
   * @param failed records whose send failed or got no answer
   * @param elapsed from the first send to the last acknowledgement
   * @param firstFailure why the first failed send failed, or {@code null}
   */
  record Result(long sent, long failed, Duration elapsed, String firstFailure) {
    double perSecond() {
      double seconds = elapsed.toNanos() / 1e9;
      return seconds <= 0 ? 0 : sent / seconds;
    }
  }

  /**
   * Starts sending the first {@code count} of {@code records} at {@code perSecond} (0: as fast as
   * the producer takes them); the producer is closed when the load is.
   */
  BackgroundLoad(
      KafkaProducer<String, byte[]> producer,
      String topic,
      BenchRecords records,
      long count,
      long perSecond) {
    this.producer = producer;
    this.topic = topic;
    this.sends = new TrackedSends(producer);
    this.thread =
        new Thread(
            () -> {
              try {
                result.complete(send(records.iterator(), count, Pacer.perSecond(perSecond)));
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
            },
            "bench-producer");
    thread.setDaemon(true);
    thread.start();
  }

  private Result send(Iterator<BenchRecord> records, long count, Pacer pacer) {
    long startNanos = System.nanoTime();
    try {
      while (sends.attempted() < count && !sends.shouldEnd()) {
        BenchRecord record = records.next();
        pacer.acquire();
        sends.send(topic, record.key(), record.value());
      }
    } finally {
      sends.awaitOutcomes("records");
    }
    return new Result(
        sends.acknowledged(),
        sends.failed(),
        Duration.ofNanos(System.nanoTime() - startNanos),
        sends.firstFailure());
  }

  long acknowledged() {
    return sends.acknowledged();
  }

  /** Ends the load after the record being sent; {@link #await} then returns what was sent. */
  void stop() {
    sends.stop();
  }

  /**
   * The load's result, waiting up to {@code millis}; {@code null} when it has not ended by then.
   */
  Result await(long millis) throws InterruptedException {
    try {
      return result.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "sending records failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() {
    sends.stop();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close();
    }
  }
}
