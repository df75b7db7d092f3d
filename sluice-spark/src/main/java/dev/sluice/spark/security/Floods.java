package dev.sluice.spark.security;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.window;

import dev.sluice.core.security.FloodThresholds;
import dev.sluice.spark.stream.EventTimeInputs;
import dev.sluice.spark.stream.ExecutorJdbcWriter;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.Database;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * DoS, DDoS and SYN floods, in one stateful aggregation: each record of {@link TrafficDecoding}
 * counts under the keys it can be part of a flood by (its source and target for a DoS, its target
 * for a DDoS, its target and port for a SYN flood), per {@value FloodThresholds#WINDOW_SECONDS}-s
 * event-time window sliding by {@value FloodThresholds#SLIDE_SECONDS} s; a window whose counts pass
 * the {@link FloodThresholds} is an alert. Update mode: a window is written as soon as it passes,
 * and again as it grows, so a flood is seen within seconds of its onset, not when its window
 * closes.
 *
 * <p>A distributed flood is many sources each sending little: a target's window counts as one only
 * while it passes the DDoS thresholds without the requests and sources of the window's DoS alerts.
 * Otherwise one source flooding a busy target (its ordinary clients supplying the source count)
 * would be reported twice, as a DoS and a DDoS. The store holds those DoS alerts, so the sink
 * writes a batch's DoS rows first and checks each DDoS row against them ({@link
 * AlertSink#DDOS_UPSERT}).
 */
final class Floods {
  /** Events later than this behind the newest are left out of their windows. */
  static final String WATERMARK = "10 seconds";

  /** The source of a distributed flood: many. */
  static final String MANY_SOURCES = "*";

  private Floods() {}

  /** The windows over a threshold: window, input, class, source, target and their counts. */
  static Dataset<Row> overThresholds(List<Dataset<Row>> inputs, FloodThresholds thresholds) {
    Column packets = col("input").equalTo(TrafficDecoding.PACKETS);
    Column keys =
        array(
            struct(lit("dos").as("class"), col("src").as("source"), col("dst").as("target")),
            struct(
                lit("ddos").as("class"), lit(MANY_SOURCES).as("source"), col("dst").as("target")),
            when(
                packets.and(col("syn").or(col("handshake_ack"))),
                struct(
                    lit("synflood").as("class"),
                    lit(MANY_SOURCES).as("source"),
                    concat(col("dst"), lit(" port "), col("dst_port").cast("string"))
                        .as("target"))));
    Dataset<Row> windows =
        EventTimeInputs.union(inputs, "ts", WATERMARK)
            .withColumn("key", explode(keys))
            .where(col("key").isNotNull())
            .groupBy(
                window(
                    col(EventTimeInputs.EVENT_TIME),
                    FloodThresholds.WINDOW_SECONDS + " seconds",
                    FloodThresholds.SLIDE_SECONDS + " seconds"),
                col("input"),
                col("key.class").as("class"),
                col("key.source").as("source"),
                col("key.target").as("target"))
            .agg(
                count("*").as("events"),
                approx_count_distinct(col("src")).as("sources"),
                sum(col("syn").cast("long")).as("syns"),
                sum(col("handshake_ack").cast("long")).as("acks"),
                max(col(EventTimeInputs.EVENT_TIME)).as("last_seen"));
    Column dos =
        col("class")
            .equalTo("dos")
            .and(
                col("events")
                    .geq(
                        when(packets, lit(thresholds.dosPackets()))
                            .otherwise(lit(thresholds.dosRequests()))));
    Column ddos =
        col("class")
            .equalTo("ddos")
            .and(col("sources").geq(lit(thresholds.ddosSources())))
            .and(
                col("events")
                    .geq(
                        when(packets, lit(thresholds.ddosPackets()))
                            .otherwise(lit(thresholds.ddosRequests()))));
    Column synFlood =
        col("class")
            .equalTo("synflood")
            .and(col("syns").geq(lit(thresholds.synFloodSyns())))
            .and(
                col("acks")
                    .multiply(100)
                    .leq(col("syns").multiply(thresholds.synFloodHandshakePercent())));
    return windows
        .where(dos.or(ddos).or(synFlood))
        .select(
            col("window.start").as("window_start"),
            col("window.end").as("window_end"),
            col("input"),
            col("class"),
            col("source"),
            col("target"),
            when(col("class").equalTo("synflood"), col("syns"))
                .otherwise(col("events"))
                .as("events"),
            col("sources"),
            col("acks"),
            col("last_seen"));
  }

  /** Writes each window over a threshold as an alert, once per window, growing with it. */
  static final class AlertSink implements StreamingJob.StateOutputSink {
    /** A window's alert grows with its window, and a replay of a smaller one changes nothing. */
    private static final String ON_CONFLICT =
        " ON CONFLICT (class, topic, source, target, window_start) WHERE window_start IS NOT NULL"
            + " DO UPDATE SET events = EXCLUDED.events, sources = EXCLUDED.sources,"
            + " excerpt = EXCLUDED.excerpt WHERE alerts.events < EXCLUDED.events";

    /**
     * A window's alert keeps the event time it was first written with: the newest event of the
     * window then, within one batch of the moment the threshold was passed.
     */
    static final String UPSERT =
        "INSERT INTO alerts (pipeline, topic, class, rule, field, excerpt, source, target,"
            + " event_time, window_start, window_end, events, sources)"
            + " VALUES (?, ?, ?, ?, 'window', ?, ?, ?, ?, ?, ?, ?, ?)"
            + ON_CONFLICT;

    /**
     * A DDoS window's alert, written only while the window passes the thresholds (the last two
     * pairs of parameters: events and their threshold, sources and theirs) without the events and
     * sources of the DoS alerts stored for the same topic, target and window.
     */
    static final String DDOS_UPSERT =
        "INSERT INTO alerts (pipeline, topic, class, rule, field, excerpt, source, target,"
            + " event_time, window_start, window_end, events, sources)"
            + " SELECT ?, ?, ?, ?, 'window', ?, ?, ?, ?, ?, ?, ?, ?"
            + " FROM (SELECT coalesce(sum(events), 0) AS events, count(*) AS sources FROM alerts"
            + "   WHERE class = 'dos' AND topic = ? AND target = ? AND window_start = ?) AS flooding"
            + " WHERE ? - flooding.events >= ? AND ? - flooding.sources >= ?"
            + ON_CONFLICT;

    private final Database database;
    private final String pipeline;
    private final String sensorEventsTopic;
    private final String packetsTopic;
    private final FloodThresholds thresholds;

    AlertSink(
        Database database,
        String pipeline,
        String sensorEventsTopic,
        String packetsTopic,
        FloodThresholds thresholds) {
      this.database = database;
      this.pipeline = pipeline;
      this.sensorEventsTopic = sensorEventsTopic;
      this.packetsTopic = packetsTopic;
      this.thresholds = thresholds;
    }

    /** DoS and SYN-flood rows first: the DDoS rows are checked against the DoS alerts stored. */
    @Override
    public void write(long seq, Dataset<Row> output) {
      Column distributed = col("class").equalTo("ddos");
      ExecutorJdbcWriter.write(
          output.where(not(distributed)), database, UPSERT, binder(false, thresholds));
      ExecutorJdbcWriter.write(
          output.where(distributed), database, DDOS_UPSERT, binder(true, thresholds));
    }

    /**
     * Binds an alert's twelve columns and, when {@code againstDos} ({@link #DDOS_UPSERT}), the
     * parameters after them: topic, target and window of the DoS alerts, then events and sources
     * with their thresholds. Takes the thresholds as a parameter: the binder runs on executors and
     * must not hold the sink.
     */
    private ExecutorJdbcWriter.RowBinder binder(boolean againstDos, FloodThresholds limits) {
      String sensorEvents = sensorEventsTopic;
      String packets = packetsTopic;
      String name = pipeline;
      return (statement, row) -> {
        String input = row.getString(row.fieldIndex("input"));
        boolean fromPackets = TrafficDecoding.PACKETS.equals(input);
        String topic = fromPackets ? packets : sensorEvents;
        String flood = row.getString(row.fieldIndex("class"));
        String target = row.getString(row.fieldIndex("target"));
        long events = row.getLong(row.fieldIndex("events"));
        long sources = row.getLong(row.fieldIndex("sources"));
        statement.setString(1, name);
        statement.setString(2, topic);
        statement.setString(3, flood);
        statement.setString(4, rule(flood, fromPackets, limits));
        statement.setString(
            5,
            describe(
                flood,
                fromPackets,
                events,
                sources,
                row.getLong(row.fieldIndex("acks")),
                row.getString(row.fieldIndex("source")),
                target));
        statement.setString(6, row.getString(row.fieldIndex("source")));
        statement.setString(7, target);
        statement.setTimestamp(8, row.getTimestamp(row.fieldIndex("last_seen")));
        statement.setTimestamp(9, row.getTimestamp(row.fieldIndex("window_start")));
        statement.setTimestamp(10, row.getTimestamp(row.fieldIndex("window_end")));
        statement.setLong(11, events);
        statement.setLong(12, Math.max(1, sources));
        if (againstDos) {
          statement.setString(13, topic);
          statement.setString(14, target);
          statement.setTimestamp(15, row.getTimestamp(row.fieldIndex("window_start")));
          statement.setLong(16, events);
          statement.setLong(17, fromPackets ? limits.ddosPackets() : limits.ddosRequests());
          statement.setLong(18, sources);
          statement.setLong(19, limits.ddosSources());
        }
      };
    }

    /** The threshold the window passed, e.g. {@code dos: >= 500 requests / 10 s}. */
    static String rule(String flood, boolean packets, FloodThresholds limits) {
      String unit = packets ? "packets" : "requests";
      return switch (flood) {
        case "dos" ->
            String.format(
                Locale.ROOT,
                "dos: >= %d %s / %d s from one source",
                packets ? limits.dosPackets() : limits.dosRequests(),
                unit,
                FloodThresholds.WINDOW_SECONDS);
        case "ddos" ->
            String.format(
                Locale.ROOT,
                "ddos: >= %d %s / %d s from >= %d sources, not counting sources over the DoS"
                    + " threshold",
                packets ? limits.ddosPackets() : limits.ddosRequests(),
                unit,
                FloodThresholds.WINDOW_SECONDS,
                limits.ddosSources());
        default ->
            String.format(
                Locale.ROOT,
                "synflood: >= %d SYNs / %d s, <= %d%% handshakes completed",
                limits.synFloodSyns(),
                FloodThresholds.WINDOW_SECONDS,
                limits.synFloodHandshakePercent());
      };
    }

    /** What the window saw, in words. */
    static String describe(
        String flood,
        boolean packets,
        long events,
        long sources,
        long acks,
        String source,
        String target) {
      String unit = packets ? "packets" : "requests";
      return switch (flood) {
        case "dos" ->
            String.format(
                Locale.ROOT,
                "%,d %s from %s to %s in %d s",
                events,
                unit,
                source,
                target,
                FloodThresholds.WINDOW_SECONDS);
        case "ddos" ->
            String.format(
                Locale.ROOT,
                "%,d %s from about %,d sources to %s in %d s",
                events,
                unit,
                sources,
                target,
                FloodThresholds.WINDOW_SECONDS);
        default ->
            String.format(
                Locale.ROOT,
                "%,d SYNs and %,d handshake ACKs from about %,d sources to %s in %d s",
                events,
                acks,
                sources,
                target,
                FloodThresholds.WINDOW_SECONDS);
      };
    }
  }
}
