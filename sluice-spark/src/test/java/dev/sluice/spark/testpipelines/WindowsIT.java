package dev.sluice.spark.testpipelines;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.stream.FaultPoints;
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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The stateful shape, on the {@link WindowsDefinition} test pipeline: event-time windows with a
 * watermark, state in the checkpoint (RocksDB), decode-or-quarantine on the way, the ledger.
 */
class WindowsIT {
  /** A minute boundary, so windows are easy to name. */
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");

  @Test
  void killedThreeTimesEndsWithTheWindowsOfAnUninterruptedRun() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "crash-windows";
    // Step 1: 30 minutes of event time over 5 keys, slightly out of order (never beyond the
    // watermark's 10 s), a malformed record every 300, and one event an hour later that closes
    // every window before it.
    List<byte[]> values = new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>();
    int events = 3_000;
    for (int i = 0; i < events; i++) {
      long ts = T0.toEpochMilli() + i * 600L - (i % 7) * 1_000L;
      String key = "k" + (i % 5);
      values.add(event(key, ts));
      expected.merge(minute(ts) + " | " + key, 1L, Long::sum);
      if (i % 300 == 0) {
        values.add(("{\"key\":\"k0\",\"ts\":\"soon\"}").getBytes(StandardCharsets.UTF_8));
      }
    }
    values.add(event("flush", T0.plus(90, ChronoUnit.MINUTES).toEpochMilli()));
    TopicWriter.write(platform.kafka(), topic, 2, values);

    // Step 2: an uninterrupted run, and one killed three times.
    PipelineRun calm = run(platform, topic, "calm", 400);
    assertThat(calm.runOnce(600)).as("log: " + calm.log()).isZero();
    PipelineRun crashing = run(platform, topic, "killed", 400);
    CrashDrill.run(crashing, 3, calm.committedBatches(), 20261129);

    // Step 3: identical tables; every window of the 30 minutes holds every one of its events.
    try (Connection calmTables = calm.connect();
        Connection killedTables = crashing.connect()) {
      assertThat(rows(killedTables)).isEqualTo(rows(calmTables));
      assertThat(windowCounts(killedTables)).isEqualTo(expected);
      assertThat(
              TableRows.count(killedTables, "SELECT count(*) FROM quarantine WHERE batch_id >= 0"))
          .isEqualTo(events / 300);
      assertThat(TableRows.count(killedTables, "SELECT sum(records) FROM pipeline_batches"))
          .isEqualTo(values.size());
    }
  }

  /**
   * The stateful shape's windows, hit exactly: halted once its state stores have committed a
   * batch's state (before the ledger and Spark's commit log have it), and after the ledger's
   * commit.
   */
  @Test
  void haltedAfterTheStateCommitOrTheLedgerCommitEndsWithTheWindowsOfAnUninterruptedRun()
      throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "points-windows";
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 1_500; i++) {
      values.add(event("k" + (i % 3), T0.toEpochMilli() + i * 1_000L));
    }
    values.add(event("flush", T0.plus(90, ChronoUnit.MINUTES).toEpochMilli()));
    TopicWriter.write(platform.kafka(), topic, 2, values);
    // Four batches of 400: the halts land in the third.
    PipelineRun calm = run(platform, topic, "points_calm", 400);
    assertThat(calm.runOnce(600)).as("log: " + calm.log()).isZero();

    List<PipelineRun> halted = new ArrayList<>();
    for (FaultPoints.Point point :
        List.of(FaultPoints.Point.AFTER_STATE_COMMIT, FaultPoints.Point.AFTER_LEDGER_COMMIT)) {
      PipelineRun crashing =
          run(platform, topic, "points_" + point.name().toLowerCase(Locale.ROOT), 400);
      long committedAtHalt = point == FaultPoints.Point.AFTER_STATE_COMMIT ? 2 : 3;
      CrashDrill.runToPoint(
          crashing,
          point,
          3,
          () -> {
            try (Connection connection = crashing.connect()) {
              assertThat(TableRows.count(connection, "SELECT count(*) FROM pipeline_batches"))
                  .isEqualTo(committedAtHalt);
            }
            assertThat(
                    crashing
                        .home()
                        .resolve("checkpoints")
                        .resolve(WindowsDefinition.NAME)
                        .resolve("commits/2"))
                .doesNotExist();
          });
      halted.add(crashing);
    }
    try (Connection calmTables = calm.connect()) {
      for (PipelineRun crashing : halted) {
        try (Connection tables = crashing.connect()) {
          assertThat(rows(tables)).as(crashing.home().toString()).isEqualTo(rows(calmTables));
        }
      }
    }
  }

  @Test
  void outOfOrderEventsWithinTheWatermarkCountLateOnesAreDroppedAndClosedWindowsLeaveNoState()
      throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "late-windows";
    PipelineRun run = run(platform, topic, "late", 200);
    long start = T0.toEpochMilli();
    // Step 1: minutes 0 to 3 in order; the watermark ends at 3:50.
    List<byte[]> first = new ArrayList<>();
    for (int second = 0; second < 240; second += 10) {
      first.add(event("a", start + second * 1_000L));
    }
    TopicWriter.write(platform.kafka(), topic, 2, first);
    assertThat(run.runOnce(300)).as("log: " + run.log()).isZero();

    // Step 2: one event of minute 0, far behind the watermark (dropped); one of minute 3 that is
    // out of order but within the watermark's 10 s (counted); then an event at minute 10, which
    // moves the watermark past minute 3.
    TopicWriter.write(
        platform.kafka(),
        topic,
        2,
        List.of(
            event("a", start + 5_000), event("a", start + 235_000), event("a", start + 600_000)));
    assertThat(run.runOnce(300)).as("log: " + run.log()).isZero();
    // A later batch sees the watermark the previous one moved, and closes minute 3.
    TopicWriter.write(platform.kafka(), topic, 2, List.of(event("b", start + 601_000)));
    assertThat(run.runOnce(300)).as("log: " + run.log()).isZero();

    // Step 3: minutes 0 to 2 hold 6 events each, minute 3 holds 7; the late one is not counted.
    try (Connection connection = run.connect()) {
      assertThat(windowCounts(connection))
          .containsExactly(
              Map.entry(minute(start) + " | a", 6L),
              Map.entry(minute(start + 60_000) + " | a", 6L),
              Map.entry(minute(start + 120_000) + " | a", 6L),
              Map.entry(minute(start + 180_000) + " | a", 7L));
    }
    // Only minute 10's windows are still open: the closed ones left the state store.
    SparkSession spark = SparkTestSession.get();
    // The state reader asks the session's state store coordinator, which starts with its streams.
    spark.streams();
    long stateRows =
        spark
            .read()
            .format("statestore")
            .load(run.home().resolve("checkpoints").resolve(WindowsDefinition.NAME).toString())
            .count();
    assertThat(stateRows).isEqualTo(2);
  }

  private static byte[] event(String key, long ts) {
    return ("{\"key\":\"" + key + "\",\"ts\":" + ts + "}").getBytes(StandardCharsets.UTF_8);
  }

  private static String minute(long ts) {
    return Instant.ofEpochMilli(ts).truncatedTo(ChronoUnit.MINUTES).toString();
  }

  /**
   * A run of the test pipeline; batches of a few hundred events make a run of a few batches, each
   * of which costs a state commit, so the drills stay short.
   */
  private static PipelineRun run(
      EmbeddedPlatform platform, String topic, String name, long recordsPerBatch) throws Exception {
    Path home =
        Files.createTempDirectory(Path.of("target").toAbsolutePath(), "windows-" + name + "-");
    return new PipelineRun(
        platform, WindowsDefinition.NAME, home, "windows_" + name, topic, recordsPerBatch);
  }

  private static Map<String, Long> windowCounts(Connection connection) throws SQLException {
    Map<String, Long> counts = new TreeMap<>();
    for (String row :
        TableRows.rows(
            connection,
            "SELECT to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), key, events"
                + " FROM window_counts")) {
      String[] parts = row.split(" \\| ");
      counts.put(parts[0] + " | " + parts[1], Long.parseLong(parts[2]));
    }
    return counts;
  }

  private static List<List<String>> rows(Connection connection) throws SQLException {
    List<List<String>> rows =
        new ArrayList<>(TableRows.platformRows(connection, WindowsDefinition.NAME));
    rows.add(
        TableRows.rows(
            connection,
            "SELECT window_start, key, events, batch_id FROM window_counts ORDER BY window_start, key"));
    return rows;
  }
}
