package dev.sluice.core.calls;

import dev.sluice.core.config.Flag;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The calls pipeline: San Francisco police calls for service counted per hour of event time, call
 * type and disposition, with the disposition's description from the radio codes. Input: topic
 * {@value #TOPIC} ({@link PoliceCallCodec}), keyed by {@code crime_id}; output: table {@code
 * calls_hourly}; exactly once through the batch ledger and idempotent upserts ({@code
 * docs/calls.md}).
 */
public final class CallsDefinition implements PipelineDefinition {
  public static final String NAME = "calls";

  /** Police calls (JSON, UTF-8, the dataset's fields), keyed by {@code crime_id}. */
  public static final String TOPIC = "calls";

  public static final InputTopic INPUT = InputTopic.of(TOPIC, 2);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "San Francisco police calls per hour, call type and disposition (radio codes)";
  }

  @Override
  public List<InputTopic> inputs() {
    return List.of(INPUT);
  }

  @Override
  public Optional<String> migrations() {
    return Optional.of("db/pipelines/calls");
  }

  @Override
  public List<Flag<?>> runFlags() {
    return List.of(RadioCodes.FLAG);
  }

  @Override
  public String sparkJob() {
    return "dev.sluice.spark.calls.CallsJob";
  }

  @Override
  public Optional<String> producer() {
    return Optional.of("dev.sluice.loadgen.calls.CallsProducer");
  }

  @Override
  public Optional<String> serverPart() {
    return Optional.of("dev.sluice.server.calls.CallsServerPart");
  }

  @Override
  public Optional<String> benchmark() {
    return Optional.of("dev.sluice.bench.calls.CallsBenchmark");
  }

  /**
   * Generated calls for days: at the demo's rate and the generator's default density an hour of
   * event time passes every few seconds, so hourly windows fill and close while the demo runs.
   */
  @Override
  public List<String> demoProducerArgs() {
    return List.of("--count", "1000000000");
  }

  @Override
  public OptionalInt demoRate() {
    return OptionalInt.of(50);
  }

  @Override
  public List<String> statusDetails(Connection connection) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT coalesce(sum(count), 0),"
                + " coalesce(sum(count) FILTER (WHERE description = ?), 0),"
                + " count(DISTINCT window_start) FROM calls_hourly")) {
      statement.setString(1, RadioCodes.UNKNOWN);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return List.of(
            String.format(
                Locale.ROOT,
                "calls %,d in %,d hours | unknown codes %,d",
                row.getLong(1),
                row.getLong(3),
                row.getLong(2)));
      }
    }
  }
}
