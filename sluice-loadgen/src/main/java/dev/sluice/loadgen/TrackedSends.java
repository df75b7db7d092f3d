package dev.sluice.loadgen;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;

/**
 * Asynchronous sends to Kafka with their outcomes counted: every load generator's way to send, so a
 * run knows what the broker acknowledged, what failed and why, and ends rather than spins when the
 * broker is gone. The counters can be read from any thread while a run sends.
 */
public final class TrackedSends {
  /** A run ends after this many failed sends: the broker is gone or rejects everything. */
  public static final long MAX_FAILURES = 1_000;

  /** How long a finished run waits for the last acknowledgements; the rest count as failed. */
  public static final Duration COMPLETION_TIMEOUT = Duration.ofSeconds(30);

  private final Producer<String, byte[]> producer;
  private final AtomicLong attempted = new AtomicLong();
  private final AtomicLong acknowledged = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private volatile boolean stopRequested;

  public TrackedSends(Producer<String, byte[]> producer) {
    this.producer = producer;
  }

  /** Hands a record to the producer; its outcome is counted when the broker answers. */
  public void send(String topic, String key, byte[] value) {
    attempted.incrementAndGet();
    try {
      producer.send(
          new ProducerRecord<>(topic, key, value),
          (metadata, exception) -> {
            if (exception == null) {
              acknowledged.incrementAndGet();
            } else {
              failed(exception);
            }
          });
    } catch (KafkaException e) {
      failed(e);
    }
  }

  /** Counts a record that could not even be sent, e.g. one the producer would refuse. */
  public void refused(Exception why) {
    attempted.incrementAndGet();
    failed(why);
  }

  private void failed(Exception e) {
    failed.incrementAndGet();
    firstFailure.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
  }

  /** Whether the run should send no more: stopped, too many failures, or interrupted. */
  public boolean shouldEnd() {
    return stopRequested || failed.get() >= MAX_FAILURES || Thread.currentThread().isInterrupted();
  }

  /** Ends the run after the record being sent. */
  public void stop() {
    stopRequested = true;
  }

  public boolean stopRequested() {
    return stopRequested;
  }

  /**
   * Waits until every send was acknowledged or failed, at most {@link #COMPLETION_TIMEOUT}; the
   * sends still unanswered then count as failed, and the first failure names them (in {@code what},
   * e.g. "reviews") when nothing failed before. Not {@code producer.flush()}: it waits without
   * limit, and with the broker gone it can wait forever.
   */
  public void awaitOutcomes(String what) {
    long deadline = System.nanoTime() + COMPLETION_TIMEOUT.toNanos();
    while (acknowledged.get() + failed.get() < attempted.get()
        && System.nanoTime() - deadline < 0) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    long unanswered = attempted.get() - acknowledged.get() - failed.get();
    if (unanswered > 0) {
      failed.addAndGet(unanswered);
      firstFailure.compareAndSet(
          null,
          unanswered
              + " "
              + what
              + " got no answer from Kafka within "
              + COMPLETION_TIMEOUT.toSeconds()
              + " s");
    }
  }

  /** Records handed to the producer so far. */
  public long attempted() {
    return attempted.get();
  }

  /** Records the broker acknowledged so far. */
  public long acknowledged() {
    return acknowledged.get();
  }

  /** Records whose send failed so far (after {@link #awaitOutcomes}: or got no answer). */
  public long failed() {
    return failed.get();
  }

  /** Why the first failed send failed, or {@code null}. */
  public String firstFailure() {
    return firstFailure.get();
  }
}
