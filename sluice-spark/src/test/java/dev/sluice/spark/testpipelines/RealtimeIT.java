package dev.sluice.spark.testpipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spark.testing.CrashDrill;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real-time shape, on the {@link RealtimeDefinition} test pipeline: killed three times while it
 * writes, it replays from its last checkpoint and ends with the rows of an uninterrupted run.
 */
class RealtimeIT {
  static final String TOPIC = "crash-realtime";
  static final int EVENTS = 4_000;

  @Test
  void killedThreeTimesEndsWithTheRowsOfAnUninterruptedRun() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    // Step 1: events, a malformed one every 400.
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < EVENTS; i++) {
      values.add(
          ("{\"key\":\"ключ-" + (i % 11) + "\",\"value\":" + (i - 1_000) + "}")
              .getBytes(StandardCharsets.UTF_8));
      if (i % 400 == 0) {
        values.add("{\"key\":\"k\"".getBytes(StandardCharsets.UTF_8));
      }
    }
    long rejected = EVENTS / 400;

    // Step 2: a run killed three times while the records arrive over 90 s (a real-time query
    // writes what it reads within milliseconds, so only a stream still arriving can be cut
    // mid-way), then an uninterrupted run over the same topic, each until every record is written.
    CompletableFuture<Void> arriving =
        TopicWriter.writeOverTime(platform.kafka(), TOPIC, 2, values, 45, Duration.ofSeconds(90));
    PipelineRun crashing = run(platform, "killed");
    CrashDrill.runContinuous(crashing, 3, () -> written(crashing), values.size(), 20261129);
    arriving.get(5, TimeUnit.MINUTES);
    PipelineRun calm = run(platform, "calm");
    CrashDrill.runUntil(calm, () -> written(calm), values.size());

    // Step 3: the same rows, each record once, values doubled.
    try (Connection calmTables = calm.connect();
        Connection killedTables = crashing.connect()) {
      assertThat(rows(killedTables)).isEqualTo(rows(calmTables));
      assertThat(TableRows.count(killedTables, "SELECT count(*) FROM realtime_events"))
          .isEqualTo(EVENTS);
      assertThat(TableRows.count(killedTables, "SELECT sum(doubled) FROM realtime_events"))
          .isEqualTo(2L * ((long) EVENTS * (EVENTS - 1) / 2 - 1_000L * EVENTS));
      assertThat(TableRows.count(killedTables, "SELECT count(*) FROM quarantine"))
          .isEqualTo(rejected);
    }
  }

  /** Records written so far: rows and quarantined ones. */
  private static long written(PipelineRun run) {
    try (Connection connection = run.connect()) {
      return TableRows.count(
          connection,
          "SELECT (SELECT count(*) FROM realtime_events) + (SELECT count(*) FROM quarantine)");
    } catch (SQLException e) {
      return 0; // before the pipeline's first start created the tables
    }
  }

  private static PipelineRun run(EmbeddedPlatform platform, String name) throws Exception {
    Path home =
        Files.createTempDirectory(Path.of("target").toAbsolutePath(), "realtime-" + name + "-");
    // A task slot per partition of the real-time query, and one to spare.
    return new PipelineRun(platform, RealtimeDefinition.NAME, home, "realtime_" + name, TOPIC, 200)
        .onSparkMaster("local[3]");
  }

  private static List<List<String>> rows(Connection connection) throws SQLException {
    return List.of(
        TableRows.rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, key, doubled FROM realtime_events"
                + " ORDER BY topic, kafka_partition, kafka_offset"),
        TableRows.rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, reason, raw_prefix, raw_length FROM quarantine"
                + " ORDER BY topic, kafka_partition, kafka_offset"));
  }
}
