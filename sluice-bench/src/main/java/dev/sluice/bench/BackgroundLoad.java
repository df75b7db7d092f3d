package dev.sluice.bench;

import dev.sluice.loadgen.Pacer;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Sends a benchmark's records to a topic on a thread of its own, as fast as the producer takes them
 * or at a steady rate ({@link Pacer}), so the caller can watch the pipeline and print progress
 * meanwhile, and stop the load when it takes too long.
 */
final class BackgroundLoad implements AutoCloseable {
  /** The load ends after this many failed sends: the broker is gone or rejects everything. */
  static final long MAX_FAILURES = 1_000;

  /** How long a finished load waits for the last acknowledgements; the rest count as failed. */
  static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, byte[]> producer;
  private final String topic;
  private final AtomicLong attempted = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean stopRequested;

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
      while (attempted.get() < count && !shouldEnd()) {
        BenchRecord record = records.next();
        pacer.acquire();
        attempted.incrementAndGet();
        try {
          producer.send(
              new ProducerRecord<>(topic, record.key(), record.value()),
              (metadata, exception) -> {
                if (exception == null) {
                  acknowledged.incrementAndGet();
                } else {
                  fail(exception);
                }
              });
        } catch (KafkaException e) {
          fail(e);
        }
      }
    } finally {
      awaitOutcomes();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    long unanswered = attempted.get() - acknowledged.get() - failed.get();
    if (unanswered > 0) {
      firstFailure.compareAndSet(
          null,
          unanswered
              + " records got no answer from Kafka within "
              + COMPLETION_TIMEOUT.toSeconds()
              + " s");
    }
    return new Result(acknowledged.get(), failed.get() + unanswered, elapsed, firstFailure.get());
  }

  /**
   * Waits until every send was acknowledged or failed, at most {@link #COMPLETION_TIMEOUT}. Not
   * {@code producer.flush()}: it waits without limit, and with the broker gone it can wait forever.
   */
  private void awaitOutcomes() {
    long deadline = System.nanoTime() + COMPLETION_TIMEOUT.toNanos();
    while (acknowledged.get() + failed.get() < attempted.get()
        && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private void fail(Exception e) {
    failed.incrementAndGet();
    firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  private boolean shouldEnd() {
    return stopRequested || failed.get() >= MAX_FAILURES || Thread.currentThread().isInterrupted();
  }

  long acknowledged() {
    return acknowledged.get();
  }

  /** Ends the load after the record being sent; {@link #await} then returns what was sent. */
  void stop() {
    stopRequested = true;
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
    stopRequested = true;
    try {
      thread.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      producer.close();
    }
  }
}
