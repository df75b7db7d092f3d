package dev.sluice.bench;

import dev.sluice.core.config.Flags;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.PipelineStatusListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;

/**
 * A pipeline's query as {@code ./sluice run <pipeline>} starts it (its Spark part, given a {@link
 * PipelineContext}, and the status listener), in this JVM, on the topics, database schema, Redis
 * namespace and checkpoint of the benchmark's own ({@link BenchTarget}).
 */
final class RunningPipeline implements AutoCloseable {
  /** Spark's status message for a query that has initialized its source and found nothing new. */
  static final String WAITING_FOR_DATA = "Waiting for data to arrive";

  private final SparkSession spark;
  private final String name;
  private final PipelineStatusListener listener;
  private final StreamingQuery query;
  private final long startNanos;

  private RunningPipeline(
      SparkSession spark,
      String name,
      PipelineStatusListener listener,
      StreamingQuery query,
      long startNanos) {
    this.spark = spark;
    this.name = name;
    this.listener = listener;
    this.query = query;
    this.startNanos = startNanos;
  }

  /**
   * Starts the pipeline's Spark part, which must start one query, on the target's topics, schema
   * and Redis namespace instead of the pipeline's own.
   *
   * @throws IllegalStateException when the Spark part started other than one query
   */
  static RunningPipeline start(
      SparkSession spark,
      PipelineDefinition definition,
      SparkPipeline job,
      BenchTarget target,
      long maxRecordsPerBatch,
      Path checkpoints,
      Path models,
      Trigger trigger) {
    PipelineStatusListener listener =
        new PipelineStatusListener(target.database(), definition.queries());
    spark.streams().addListener(listener);
    long startNanos = System.nanoTime();
    PipelineContext context =
        new PipelineContext(
            spark,
            definition,
            target.database(),
            target.kafka(),
            target.topics(),
            checkpoints,
            models,
            maxRecordsPerBatch,
            trigger,
            Optional.empty(),
            Flags.parse(List.of(), List.of()),
            target.redis(),
            target.redisNamespace());
    List<StreamingQuery> queries;
    try {
      queries = job.start(context);
    } catch (RuntimeException e) {
      spark.streams().removeListener(listener);
      throw e;
    }
    if (queries.size() != 1) {
      spark.streams().removeListener(listener);
      throw new IllegalStateException(
          "the "
              + definition.name()
              + " pipeline started "
              + queries.size()
              + " queries; the benchmark measures one");
    }
    return new RunningPipeline(spark, definition.name(), listener, queries.get(0), startNanos);
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
      throw new IllegalStateException("the " + name + " pipeline failed: " + e.getMessage(), e);
    }
  }

  /** Fails when the query has failed, so a watcher stops waiting for results that cannot come. */
  void requireHealthy() {
    if (query.exception().isDefined()) {
      throw new IllegalStateException(
          "the " + name + " pipeline failed: " + query.exception().get().getMessage(),
          query.exception().get());
    }
    if (!query.isActive()) {
      throw new IllegalStateException("the " + name + " pipeline stopped unexpectedly");
    }
  }

  @Override
  public void close() {
    try {
      query.stop();
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the " + name + " pipeline did not stop: " + e.getMessage(), e);
    } finally {
      spark.streams().removeListener(listener);
    }
  }
}
