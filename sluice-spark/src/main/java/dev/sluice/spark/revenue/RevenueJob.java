package dev.sluice.spark.revenue;

import dev.sluice.core.config.Settings;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueSettings;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.redis.Redis;
import java.util.List;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Starts the revenue pipeline's two queries over topic {@code revenue}:
 *
 * <ul>
 *   <li>{@value RevenueDefinition#LATEST_QUERY}, real-time mode: each record, as it arrives, is
 *       applied to its id's state in Redis ({@link LatestStateScript}) and, when it is the id's
 *       latest, its state is published to {@value RevenueDefinition#COMPUTED_TOPIC} ({@link
 *       LatestStateSink}); malformed records go to quarantine;
 *   <li>{@value RevenueDefinition#MINUTES_QUERY}, stateful: figures per minute of event time
 *       ({@link RevenueMinutes}) into Redis and {@value RevenueDefinition#MINUTES_TOPIC}.
 * </ul>
 *
 * Redis and the namespace of the keys come from the context ({@code SLUICE_REDIS}, {@code
 * SLUICE_REDIS_PASSWORD}; {@code --redis-namespace}); the watermark from {@link RevenueSettings}.
 * Run it with {@code ./sluice run revenue}, and read its results with {@code ./sluice consume
 * revenue.computed} or in Redis ({@code docs/revenue.md}).
 */
public final class RevenueJob implements SparkPipeline {
  /**
   * Real-time mode writes its offsets this often; a restart replays at most this much, which the
   * idempotent script absorbs. Shorter intervals cost latency (Spark pauses the tasks).
   */
  static final long CHECKPOINT_INTERVAL_MS = 10_000;

  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    Settings settings = new Settings(System.getenv());
    RevenueSettings revenue = RevenueSettings.from(settings);
    settings.validate();
    return start(context, revenue);
  }

  /** Starts the queries with given settings (tests choose their own). */
  public static List<StreamingQuery> start(PipelineContext context, RevenueSettings settings) {
    return List.of(latest(context), minutes(context, settings));
  }

  /** Starts the per-record query alone, which the benchmark measures apart from the minutes. */
  public static StreamingQuery startLatest(PipelineContext context) {
    return latest(context);
  }

  private static StreamingQuery latest(PipelineContext context) {
    String query = RevenueDefinition.LATEST_QUERY;
    Redis redis = context.requireRedis();
    return StreamingJob.startRealTime(
        context.realTimeKafkaStream(RevenueDefinition.RECORDS),
        new RevenueDecoder(),
        decoded -> decoded,
        LatestStateSink.factory(
            redis,
            context.redisNamespace(),
            context.kafka(),
            context.topic(RevenueDefinition.COMPUTED)),
        context.database(),
        context.definition().name(),
        query,
        context.checkpoint(query),
        CHECKPOINT_INTERVAL_MS);
  }

  private static StreamingQuery minutes(PipelineContext context, RevenueSettings settings) {
    String query = RevenueDefinition.MINUTES_QUERY;
    // Update mode: the dashboard shows the current minute as it fills. Each batch writes the full
    // figures of the minutes it changed, keyed by minute, so a minute's last write is its final
    // figures and a replayed batch writes the same values again: exactly-once by key, as append
    // mode would be, without waiting for the watermark to close the minute.
    return StreamingJob.startStateful(
        context.statefulKafkaStream(query, RevenueDefinition.RECORDS),
        new RevenueDecoder(),
        records -> RevenueMinutes.perMinute(records, settings.watermarkSeconds()),
        OutputMode.Update(),
        new RevenueMinutes.MinuteSink(
            context.requireRedis(),
            new RevenueKeys(context.redisNamespace()),
            context.kafka(),
            context.topic(RevenueDefinition.MINUTES)),
        context.database(),
        context.ledger(query),
        context.checkpoint(query),
        context.trigger());
  }
}
