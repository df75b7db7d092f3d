package dev.sluice.spark.bench;

import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.reviews.ReviewsJob;
import dev.sluice.spark.reviews.ReviewsPipeline;
import dev.sluice.spark.stream.PipelineStatusListener;
import dev.sluice.store.Database;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The reviews pipeline as {@code ./sluice run reviews} assembles it (Kafka source, the pipeline,
 * the exactly-once PostgreSQL sink, the status listener), started in this JVM on a topic, a
 * database schema and a checkpoint of the benchmark's own.
 */
final class RunningPipeline implements AutoCloseable {
  /** Spark's status message for a query that has initialized its source and found nothing new. */
  static final String WAITING_FOR_DATA = "Waiting for data to arrive";

  private final SparkSession spark;
  private final PipelineStatusListener listener;
  private final StreamingQuery query;
  private final long startNanos;

  private RunningPipeline(
      SparkSession spark, PipelineStatusListener listener, StreamingQuery query, long startNanos) {
    this.spark = spark;
    this.listener = listener;
    this.query = query;
    this.startNanos = startNanos;
  }

  static RunningPipeline start(
      SparkSession spark,
      ReviewsPipeline pipeline,
      String kafka,
      String topic,
      long maxRecordsPerBatch,
      Database database,
      Path checkpoints,
      Path models,
      Trigger trigger) {
    PipelineStatusListener listener =
        new PipelineStatusListener(database, List.of(ReviewsDefinition.NAME));
    spark.streams().addListener(listener);
    long startNanos = System.nanoTime();
    PipelineContext context =
        new PipelineContext(
            spark,
            new ReviewsDefinition(),
            database,
            kafka,
            Map.of(ReviewsDefinition.TOPIC, topic),
            checkpoints,
            models,
            maxRecordsPerBatch,
            trigger);
    StreamingQuery query = ReviewsJob.start(context, pipeline);
    return new RunningPipeline(spark, listener, query, startNanos);
  }

  /** Nanoseconds since the query was started. */
  long elapsedNanos() {
    return System.nanoTime() - startNanos;
  }

  /** Whether the query has initialized its source and found nothing new to read. */
  boolean isWaitingForData() {
    return query.isActive()
        && query.status().message().equals(WAITING_FOR_DATA)
        && !query.status().isDataAvailable();
  }

  /**
   * Waits up to {@code millis} for the query to end; returns whether it ended.
   *
   * @throws IllegalStateException when the query failed
   */
  boolean awaitTermination(long millis) {
    try {
      return query.awaitTermination(millis);
    } catch (StreamingQueryException e) {
      throw new IllegalStateException("the reviews pipeline failed: " + e.getMessage(), e);
    }
  }

  /** Fails when the query has failed, so a watcher stops waiting for results that cannot come. */
  void requireHealthy() {
    if (query.exception().isDefined()) {
      throw new IllegalStateException(
          "the reviews pipeline failed: " + query.exception().get().getMessage(),
          query.exception().get());
    }
    if (!query.isActive()) {
      throw new IllegalStateException("the reviews pipeline stopped unexpectedly");
    }
  }

  @Override
  public void close() {
    try {
      query.stop();
    } catch (TimeoutException e) {
      throw new IllegalStateException("the reviews pipeline did not stop: " + e.getMessage(), e);
    } finally {
      spark.streams().removeListener(listener);
    }
  }
}
