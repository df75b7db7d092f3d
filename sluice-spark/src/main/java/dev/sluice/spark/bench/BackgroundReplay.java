package dev.sluice.spark.bench;

import dev.sluice.loadgen.reviews.ReviewReplayer;
import dev.sluice.loadgen.reviews.ReviewSource;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Loadgen's {@link ReviewReplayer} on a thread of its own, so the caller can watch the pipeline and
 * print progress while reviews are sent, and stop the replay when it takes too long.
 */
final class BackgroundReplay implements AutoCloseable {
  private final KafkaProducer<String, byte[]> producer;
  private final ReviewReplayer replayer;
  private final CompletableFuture<ReviewReplayer.Result> result = new CompletableFuture<>();
  private final Thread thread;

  /**
   * Starts sending {@code count} reviews of {@code source} at {@code perSecond} (0: as fast as the
   * producer takes them); the producer is closed when the replay ends.
   */
  BackgroundReplay(
      KafkaProducer<String, byte[]> producer,
      String topic,
      ReviewSource source,
      long count,
      long perSecond) {
    this.producer = producer;
    this.replayer = new ReviewReplayer(producer, topic);
    this.thread =
        new Thread(
            () -> {
              try {
                result.complete(replayer.replay(source, OptionalLong.of(count), perSecond));
              } catch (RuntimeException | Error e) {
                result.completeExceptionally(e);
              }
            },
            "bench-producer");
    thread.setDaemon(true);
    thread.start();
  }

  long acknowledged() {
    return replayer.acknowledged();
  }

  /** Ends the replay after the review being sent; {@link #await} then returns what was sent. */
  void stop() {
    replayer.stop();
  }

  /**
   * The replay's result, waiting up to {@code millis}; {@code null} when it has not ended by then.
   */
  ReviewReplayer.Result await(long millis) throws InterruptedException {
    try {
      return result.get(millis, TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "sending reviews failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  @Override
  public void close() throws InterruptedException {
    replayer.stop();
    thread.join(TimeUnit.SECONDS.toMillis(60));
    producer.close();
  }
}
