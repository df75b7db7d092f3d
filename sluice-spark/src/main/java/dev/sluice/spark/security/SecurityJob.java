package dev.sluice.spark.security;

import static org.apache.spark.sql.functions.size;

import dev.sluice.core.config.Settings;
import dev.sluice.core.process.PermanentFailure;
import dev.sluice.core.security.FloodThresholds;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.detect.NativeEngines;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.StreamingJob;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Starts the security pipeline's three queries:
 *
 * <ul>
 *   <li>{@value SecurityDefinition#INJECTIONS_QUERY}, real-time mode: each sensor event inspected
 *       as it arrives ({@link InjectionInspection}), each finding written at once to {@code
 *       alerts};
 *   <li>{@value SecurityDefinition#FLOODS_QUERY}, stateful: sensor events and packets counted in
 *       event-time windows ({@link Floods}), windows over a threshold written to {@code alerts};
 *   <li>{@value SecurityDefinition#TRAFFIC_QUERY}, stateful: traffic per minute ({@link Traffic}).
 * </ul>
 *
 * The store files alerts into incidents as they are written. Thresholds and the quiet period come
 * from the environment ({@link FloodThresholds}).
 */
public final class SecurityJob implements SparkPipeline {
  /**
   * Real-time mode writes its offsets this often; a restart replays at most this much, which the
   * idempotent alert writes absorb. Shorter intervals cost latency (Spark pauses the tasks).
   */
  static final long CHECKPOINT_INTERVAL_MS = 120_000;

  static final String ALERT_UPSERT =
      "INSERT INTO alerts (pipeline, topic, kafka_partition, kafka_offset, event_id, class, rule,"
          + " field, excerpt, source, target, event_time, events, appended_at)"
          + " SELECT ?, ?, ?, ?, ?, f.class, f.rule, f.field, f.excerpt, ?, ?, ?, 1, ?"
          + " FROM unnest(?::text[], ?::text[], ?::text[], ?::text[]) AS f(class, rule, field, excerpt)"
          + " ON CONFLICT (topic, kafka_partition, kafka_offset, class, rule, field)"
          + " WHERE kafka_offset IS NOT NULL DO NOTHING";

  @Override
  public List<StreamingQuery> start(PipelineContext context) {
    requireEngines();
    Settings settings = new Settings(System.getenv());
    FloodThresholds thresholds = FloodThresholds.from(settings);
    settings.validate();
    return start(context, thresholds);
  }

  /** Starts the queries with given thresholds (tests choose their own). */
  public static List<StreamingQuery> start(PipelineContext context, FloodThresholds thresholds) {
    recordQuietPeriod(context, thresholds.quietSeconds());
    return List.of(injections(context), floods(context, thresholds), traffic(context));
  }

  /**
   * Starts the injection query alone: the per-event detection, which the benchmark measures apart
   * from the windows.
   */
  public static StreamingQuery startInjections(PipelineContext context) {
    requireEngines();
    return injections(context);
  }

  private static void requireEngines() {
    try {
      NativeEngines.requireInstalled();
    } catch (NativeEngines.MissingEngineException e) {
      throw new PermanentFailure("the security pipeline cannot detect: " + e.getMessage(), e);
    }
  }

  private static StreamingQuery injections(PipelineContext context) {
    String query = SecurityDefinition.INJECTIONS_QUERY;
    String pipeline = context.definition().name();
    return StreamingJob.startRealTime(
        context.realTimeKafkaStream(SecurityDefinition.SENSOR_EVENTS),
        new InjectionInspection(),
        // Only events with findings are written; rejected records go on to quarantine.
        decoded ->
            decoded.where(decoded.col("reason").isNotNull().or(size(decoded.col("classes")).gt(0))),
        ALERT_UPSERT,
        (statement, row) -> {
          Connection connection = statement.getConnection();
          statement.setString(1, pipeline);
          statement.setString(2, row.getString(row.fieldIndex("topic")));
          statement.setInt(3, row.getInt(row.fieldIndex("partition")));
          statement.setLong(4, row.getLong(row.fieldIndex("offset")));
          statement.setString(5, row.getString(row.fieldIndex("id")));
          statement.setString(6, row.getString(row.fieldIndex("src")));
          statement.setString(7, row.getString(row.fieldIndex("dst")));
          statement.setTimestamp(8, new Timestamp(row.getLong(row.fieldIndex("ts"))));
          statement.setTimestamp(9, row.getTimestamp(row.fieldIndex("kafka_ts")));
          statement.setArray(10, texts(connection, row, "classes"));
          statement.setArray(11, texts(connection, row, "rules"));
          statement.setArray(12, texts(connection, row, "fields"));
          statement.setArray(13, texts(connection, row, "excerpts"));
        },
        context.database(),
        pipeline,
        query,
        context.checkpoint(query),
        CHECKPOINT_INTERVAL_MS);
  }

  private static Array texts(Connection connection, Row row, String field) throws SQLException {
    List<String> values = row.getList(row.fieldIndex(field));
    return connection.createArrayOf("text", values.toArray());
  }

  private static StreamingQuery floods(PipelineContext context, FloodThresholds thresholds) {
    String query = SecurityDefinition.FLOODS_QUERY;
    return StreamingJob.startStateful(
        inputStreams(context, query),
        decoding(context),
        context.recordIds(),
        inputs -> Floods.overThresholds(inputs, thresholds),
        OutputMode.Update(),
        new Floods.AlertSink(
            context.database(),
            context.definition().name(),
            context.topic(SecurityDefinition.SENSOR_EVENTS),
            context.topic(SecurityDefinition.PACKETS),
            thresholds),
        context.database(),
        context.ledger(query),
        context.checkpoint(query),
        context.trigger());
  }

  private static StreamingQuery traffic(PipelineContext context) {
    String query = SecurityDefinition.TRAFFIC_QUERY;
    return StreamingJob.startStateful(
        inputStreams(context, query),
        decoding(context),
        context.recordIds(),
        Traffic::perMinute,
        OutputMode.Update(),
        new Traffic.MinuteSink(context.database(), Traffic.STREAM, true),
        context.database(),
        context.ledger(query),
        context.checkpoint(query),
        context.trigger());
  }

  /** Each input's topic as its own stream, so each keeps its own watermark. */
  private static List<Dataset<Row>> inputStreams(PipelineContext context, String query) {
    return context.definition().inputs().stream()
        .map(input -> context.statefulKafkaStream(query, input))
        .toList();
  }

  private static TrafficDecoding decoding(PipelineContext context) {
    return new TrafficDecoding(
        context.topic(SecurityDefinition.SENSOR_EVENTS), context.topic(SecurityDefinition.PACKETS));
  }

  /** The store closes incidents after this quiet period; written before any alert. */
  private static void recordQuietPeriod(PipelineContext context, int quietSeconds) {
    try (Connection connection = context.database().connect();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE security_settings SET quiet_period = make_interval(secs => ?)")) {
      update.setInt(1, quietSeconds);
      update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot record the incidents' quiet period: " + e.getMessage(), e);
    }
  }
}
