package dev.sluice.core.security;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The security pipeline: injection alerts within milliseconds (real-time mode), DoS, DDoS and SYN
 * floods within seconds (event-time windows), incidents, and traffic per minute. Inputs: topics
 * {@value SensorEvent#TOPIC} ({@link SensorEventCodec}) and {@value #PACKETS_TOPIC} ({@link
 * PacketCodec}); outputs: tables {@code alerts}, {@code incidents}, {@code traffic_minutes}.
 */
public final class SecurityDefinition implements PipelineDefinition {
  public static final String NAME = "security";

  /** Packets parsed from tcpdump's text, keyed by packet id ({@code ./sluice import}, capture). */
  public static final String PACKETS_TOPIC = "packets";

  public static final InputTopic SENSOR_EVENTS = InputTopic.of(SensorEvent.TOPIC, 2);
  public static final InputTopic PACKETS = InputTopic.of(PACKETS_TOPIC, 2);

  /** Injection detection, per event, in real-time mode. */
  public static final String INJECTIONS_QUERY = "security-injections";

  /** DoS, DDoS and SYN floods over event-time windows. */
  public static final String FLOODS_QUERY = "security-floods";

  /** Traffic per minute of event time. */
  public static final String TRAFFIC_QUERY = "security-traffic";

  /**
   * Where Debian's {@code libmodsecurity3} and {@code modsecurity-crs} put what detection needs.
   */
  static final List<Path> NATIVE_FILES =
      List.of(
          Path.of("/usr/lib/x86_64-linux-gnu/libmodsecurity.so.3"),
          Path.of("/usr/share/modsecurity-crs/rules"));

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "injection alerts in milliseconds, DoS/DDoS/SYN floods in seconds, incidents, traffic";
  }

  @Override
  public List<InputTopic> inputs() {
    return List.of(SENSOR_EVENTS, PACKETS);
  }

  @Override
  public List<String> queries() {
    return List.of(INJECTIONS_QUERY, FLOODS_QUERY, TRAFFIC_QUERY);
  }

  @Override
  public List<InputTopic> realTimeInputs() {
    return List.of(SENSOR_EVENTS);
  }

  @Override
  public Optional<String> migrations() {
    return Optional.of("db/pipelines/security");
  }

  @Override
  public String sparkJob() {
    return "dev.sluice.spark.security.SecurityJob";
  }

  @Override
  public Optional<String> producer() {
    return Optional.of("dev.sluice.loadgen.security.SensorsProducer");
  }

  @Override
  public Optional<String> benchmark() {
    return Optional.of("dev.sluice.bench.security.SecurityBenchmark");
  }

  /** {@code ./sluice produce sensors}: the sensor simulator. */
  @Override
  public String producerName() {
    return "sensors";
  }

  @Override
  public Optional<String> serverPart() {
    return Optional.of("dev.sluice.server.security.SecurityServerPart");
  }

  /**
   * What is missing for detection to run, as a sentence naming the Debian packages; empty when
   * Debian's files are where the detectors load them from. The launcher leaves the pipeline out of
   * the demo with this message; the pipeline itself checks by loading the library.
   */
  @Override
  public Optional<String> unmetRequirement() {
    for (Path file : NATIVE_FILES) {
      if (!Files.exists(file)) {
        return Optional.of(
            file
                + " is missing: the security pipeline's detectors need Debian's libmodsecurity3 and"
                + " modsecurity-crs (apt-get install libmodsecurity3 modsecurity-crs)");
      }
    }
    return Optional.empty();
  }

  /** The simulator's default rate, for which the flood thresholds' defaults are set. */
  @Override
  public java.util.OptionalInt demoRate() {
    return java.util.OptionalInt.of(200);
  }

  /** Ordinary traffic for a week. */
  @Override
  public List<String> demoProducerArgs() {
    return List.of("--duration", "604800");
  }

  @Override
  public List<String> statusDetails(Connection connection) throws SQLException {
    try (PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FILTER (WHERE closed_at IS NULL), count(*),"
                    + " (SELECT count(*) FROM alerts) FROM incidents");
        ResultSet row = statement.executeQuery()) {
      row.next();
      return List.of(
          String.format(
              Locale.ROOT,
              "incidents %,d open of %,d | alerts %,d",
              row.getLong(1),
              row.getLong(2),
              row.getLong(3)));
    }
  }
}
