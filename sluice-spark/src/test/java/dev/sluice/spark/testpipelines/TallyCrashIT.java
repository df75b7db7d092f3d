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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The micro-batch shape's crash test, on the {@link TallyDefinition} test pipeline: killed three
 * times mid-stream and restarted from its checkpoint, it ends with tables identical to those of a
 * run that was never interrupted, and equal to a recount of the input.
 */
class TallyCrashIT {
  static final String TOPIC = "crash-tally";
  static final int EVENTS = 3_000;
  static final int RECORDS_PER_BATCH = 200;

  @Test
  void killedThreeTimesEndsWithTheTablesOfAnUninterruptedRun() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    // Step 1: events over 37 keys, a malformed record every 250, non-ASCII keys among them.
    List<byte[]> values = new ArrayList<>();
    Map<String, long[]> expected = new TreeMap<>();
    for (int i = 0; i < EVENTS; i++) {
      String key = (i % 3 == 0 ? "clé-" : "key-") + (i % 37);
      long amount = (i * 7919L) % 1000 - 300;
      values.add(
          ("{\"key\":\"" + key + "\",\"amount\":" + amount + "}").getBytes(StandardCharsets.UTF_8));
      long[] total = expected.computeIfAbsent(key, k -> new long[2]);
      total[0] += amount;
      total[1]++;
      if (i % 250 == 0) {
        values.add(("{\"key\":\"k\",\"amount\":\"" + i + "x\"}").getBytes(StandardCharsets.UTF_8));
      }
    }
    TopicWriter.write(platform.kafka(), TOPIC, 2, values);

    // Step 2: an uninterrupted run, and one killed three times.
    PipelineRun calm = run(platform, "calm");
    assertThat(calm.runOnce(600)).as("log: " + calm.log()).isZero();
    PipelineRun crashing = run(platform, "killed");
    CrashDrill.run(crashing, 3, calm.committedBatches(), 20261129);

    // Step 3: identical tables, and the totals equal a recount of the input.
    try (Connection calmTables = calm.connect();
        Connection killedTables = crashing.connect()) {
      assertThat(rows(killedTables)).isEqualTo(rows(calmTables));
      List<String> totals = new ArrayList<>();
      expected.forEach((key, total) -> totals.add(key + " | " + total[0] + " | " + total[1]));
      assertThat(
              TableRows.rows(
                  killedTables, "SELECT key, amount, events FROM tally_totals ORDER BY key"))
          .isEqualTo(totals);
      assertThat(TableRows.count(killedTables, "SELECT count(*) FROM quarantine"))
          .isEqualTo(EVENTS / 250);
    }
  }

  /**
   * Spark writes a log entry to a temporary file, then renames it: a run killed in between, before
   * its first offsets were in place, leaves the temporary file in {@code offsets/}, which Spark
   * then takes for another query's batch and refuses to start. The next run starts and counts
   * everything once.
   */
  @Test
  void killedWhileWritingItsFirstOffsetsItStartsAgainAndCountsEverythingOnce() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "crash-tally-first-offsets";
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      values.add(
          ("{\"key\":\"key-" + (i % 5) + "\",\"amount\":" + i + "}")
              .getBytes(StandardCharsets.UTF_8));
    }
    TopicWriter.write(platform.kafka(), topic, 2, values);

    // Step 1: the checkpoint as such a run leaves it: the query's identity, which Spark writes
    // first, and the temporary file of offsets/0.
    Path home =
        Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tally-first-offsets-");
    Path checkpoint = home.resolve("checkpoints").resolve(TallyDefinition.NAME);
    Files.createDirectories(checkpoint.resolve("offsets"));
    Files.createDirectories(checkpoint.resolve("commits"));
    Files.writeString(checkpoint.resolve("metadata"), "{\"id\":\"" + UUID.randomUUID() + "\"}");
    Path unfinished = checkpoint.resolve("offsets").resolve(".0." + UUID.randomUUID() + ".tmp");
    Files.writeString(unfinished, "v1\n{\"batchWatermarkMs\":0,");

    // Step 2: the next run starts, and each key's total is the sum of its records.
    PipelineRun run =
        new PipelineRun(
            platform, TallyDefinition.NAME, home, "tally_first_offsets", topic, RECORDS_PER_BATCH);
    assertThat(run.runOnce(180)).as("log: " + run.log()).isZero();
    assertThat(unfinished).doesNotExist();
    try (Connection tables = run.connect()) {
      assertThat(
              TableRows.rows(tables, "SELECT key, amount, events FROM tally_totals ORDER BY key"))
          .containsExactly(
              "key-0 | 24750 | 100",
              "key-1 | 24850 | 100",
              "key-2 | 24950 | 100",
              "key-3 | 25050 | 100",
              "key-4 | 25150 | 100");
    }
  }

  private static PipelineRun run(EmbeddedPlatform platform, String name) throws Exception {
    Path home =
        Files.createTempDirectory(Path.of("target").toAbsolutePath(), "tally-" + name + "-");
    return new PipelineRun(
        platform, TallyDefinition.NAME, home, "tally_" + name, TOPIC, RECORDS_PER_BATCH);
  }

  private static List<List<String>> rows(Connection connection) throws SQLException {
    List<List<String>> rows =
        new ArrayList<>(TableRows.platformRows(connection, TallyDefinition.NAME));
    rows.add(
        TableRows.rows(connection, "SELECT key, amount, events FROM tally_totals ORDER BY key"));
    rows.add(
        TableRows.rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, key, amount, batch_id FROM tally_events"
                + " ORDER BY topic, kafka_partition, kafka_offset"));
    return rows;
  }
}
