package dev.sluice.core.revenue;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.RedisRequirement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The revenue pipeline: per-id records that keep being updated, the latest of each id upserted into
 * Redis (last writer by {@link RevenueRecord#version()} wins), the changed state published back to
 * Kafka on {@value #COMPUTED_TOPIC}, and figures per minute of event time on {@value
 * #MINUTES_TOPIC}. Input: topic {@value RevenueRecord#TOPIC} ({@link RevenueCodec}); Redis layout:
 * {@link RevenueKeys}.
 */
public final class RevenueDefinition implements PipelineDefinition {
  public static final String NAME = "revenue";

  /** The latest state of every id that changed, keyed by id. */
  public static final String COMPUTED_TOPIC = "revenue.computed";

  /** Figures per minute of event time, keyed by the minute. */
  public static final String MINUTES_TOPIC = "revenue.minutes";

  public static final InputTopic RECORDS = InputTopic.of(RevenueRecord.TOPIC, 2);
  public static final InputTopic COMPUTED = InputTopic.of(COMPUTED_TOPIC, 2);
  public static final InputTopic MINUTES = InputTopic.of(MINUTES_TOPIC, 1);

  /** Per-record upserts into Redis and {@value #COMPUTED_TOPIC}, in real-time mode. */
  public static final String LATEST_QUERY = "revenue-latest";

  /** Per-minute windows of event time, into Redis and {@value #MINUTES_TOPIC}. */
  public static final String MINUTES_QUERY = "revenue-minutes";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "per-id records upserted into Redis (latest wins), results back to Kafka";
  }

  @Override
  public List<InputTopic> inputs() {
    return List.of(RECORDS);
  }

  @Override
  public List<InputTopic> outputs() {
    return List.of(COMPUTED, MINUTES);
  }

  @Override
  public List<String> queries() {
    return List.of(LATEST_QUERY, MINUTES_QUERY);
  }

  @Override
  public List<InputTopic> realTimeInputs() {
    return List.of(RECORDS);
  }

  @Override
  public String sparkJob() {
    return "dev.sluice.spark.revenue.RevenueJob";
  }

  /**
   * Each record costs a Redis round trip and a Kafka send in real-time mode, beside three other
   * pipelines in the demo: 200 updates a second keep the page moving without a growing lag on two
   * cores (the demo's default of 2,000 did not).
   */
  @Override
  public OptionalInt demoRate() {
    return OptionalInt.of(200);
  }

  @Override
  public Optional<String> producer() {
    return Optional.of("dev.sluice.loadgen.revenue.RevenueProducer");
  }

  @Override
  public Optional<String> serverPart() {
    return Optional.of("dev.sluice.server.revenue.RevenueServerPart");
  }

  @Override
  public Optional<String> benchmark() {
    return Optional.of("dev.sluice.bench.revenue.RevenueBenchmark");
  }

  /** A Redis: an external one, or Debian's {@code redis-server} for the embedded one. */
  @Override
  public Optional<String> unmetRequirement() {
    return RedisRequirement.unmet(System.getenv());
  }
}
