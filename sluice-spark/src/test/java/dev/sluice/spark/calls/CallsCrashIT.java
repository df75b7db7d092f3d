package dev.sluice.spark.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.spark.testing.CrashDrill;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The calls pipeline killed with SIGKILL three times mid-stream ends with the tables of an
 * uninterrupted run: the hourly counts (each batch's added in the ledger's transaction), the
 * ledger, the quarantine and the watermark.
 */
class CallsCrashIT {
  @Test
  void killedThreeTimesEndsWithTheTablesOfAnUninterruptedRun() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "calls-crash";
    // Step 1: 2,400 calls over twelve hours with the published codes and an unknown one, slightly
    // out of order, a malformed record every 200.
    Random random = new Random(7);
    String[] codes = {"HAN", "GOA", "ADV", "REP", "ARR", "UTL", "Q9"};
    List<byte[]> values = new ArrayList<>();
    for (int i = 0; i < 2_400; i++) {
      LocalDateTime time = CallsPipelineIT.T0.plusSeconds(i * 18L - random.nextInt(300));
      values.add(
          TestCalls.call(
              "k" + i,
              CallsPipelineIT.TYPES[random.nextInt(CallsPipelineIT.TYPES.length)],
              time,
              codes[random.nextInt(codes.length)]));
      if (i % 200 == 0) {
        values.add(("{\"crime_id\":\"k" + i + "x\"}").getBytes(StandardCharsets.UTF_8));
      }
    }
    TopicWriter.write(platform.kafka(), topic, 2, values);

    // Step 2: an uninterrupted run, and one killed three times, in batches of 100: a batch takes
    // a few hundred milliseconds, and each kill must leave batches to come.
    PipelineRun calm = CallsPipelineIT.run(platform, topic, "calm", 100);
    assertThat(calm.runOnce(600)).as("log: " + calm.log()).isZero();
    PipelineRun crashing = CallsPipelineIT.run(platform, topic, "killed", 100);
    CrashDrill.run(crashing, 3, calm.committedBatches(), 20181231);

    // Step 3: identical tables, every call counted once.
    try (Connection calmTables = calm.connect();
        Connection killedTables = crashing.connect()) {
      assertThat(rows(killedTables)).isEqualTo(rows(calmTables));
      assertThat(TableRows.count(killedTables, "SELECT sum(count) FROM calls_hourly"))
          .isEqualTo(2_400);
      assertThat(TableRows.count(killedTables, "SELECT count(*) FROM watermarks")).isEqualTo(1);
      assertThat(
              TableRows.count(
                  killedTables,
                  "SELECT sum(count) FROM calls_hourly WHERE description = 'unknown'"))
          .isPositive();
    }
  }

  private static List<List<String>> rows(Connection connection) throws SQLException {
    List<List<String>> rows =
        new ArrayList<>(TableRows.platformRows(connection, CallsDefinition.NAME));
    rows.add(
        TableRows.rows(
            connection,
            "SELECT window_start, call_type, disposition, description, count, updated_seq"
                + " FROM calls_hourly ORDER BY window_start, call_type, disposition"));
    return rows;
  }
}
