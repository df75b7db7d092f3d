package dev.sluice.spark.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The calls pipeline as users run it ({@code ./sluice run calls --once}) on the embedded Kafka and
 * PostgreSQL: hourly counts equal to those computed here from the records sent, radio codes from a
 * user's file, unknown codes counted as such, malformed and duplicate records quarantined, and the
 * watermark's rule for out-of-order and late calls.
 */
class CallsPipelineIT {
  /** Midnight on New Year's Eve in San Francisco; the hours run into the new year. */
  static final LocalDateTime T0 = LocalDateTime.parse("2018-12-31T20:00:00");

  static final String[] TYPES = {
    "Passing Call",
    "Traffic Stop",
    "Suspicious Person",
    "Homeless Complaint",
    "Audible Alarm",
    "Ruido — vecino ruidoso"
  };

  /** HAN and ARR as the file below describes them; GOA is not in it, nor is ZZZ. */
  static final String[] CODES = {"HAN", "ARR", "GOA", "ZZZ"};

  static final Map<String, String> FILE_DESCRIPTIONS =
      Map.of("HAN", "Handled", "ARR", "Arrestation (été)");

  @Test
  void countsEqualThoseOfTheRecordsSentWithUnknownCodesKeptAndBadRecordsQuarantined()
      throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "calls-counted";
    // Step 1: 1,200 calls over six hours, up to 10 minutes out of order (within the 30-minute
    // watermark); a malformed record every 100; every 150th call sent twice.
    Random random = new Random(20181231);
    List<byte[]> values = new ArrayList<>();
    Map<String, Long> expected = new TreeMap<>();
    List<String> reasons = new ArrayList<>();
    for (int i = 0; i < 1_200; i++) {
      LocalDateTime time = T0.plusSeconds(i * 18L - random.nextInt(600));
      String type = TYPES[random.nextInt(TYPES.length)];
      String code = CODES[random.nextInt(CODES.length)];
      byte[] call = TestCalls.call("c" + i, type, time, code);
      values.add(call);
      expected.merge(
          TestCalls.key(time, type, code, FILE_DESCRIPTIONS.getOrDefault(code, "unknown")),
          1L,
          Long::sum);
      if (i % 150 == 0) {
        values.add(call);
        reasons.add("duplicate");
      }
      if (i % 100 == 0) {
        values.add(
            ("{\"crime_id\":\"bad"
                    + i
                    + "\",\"original_crime_type_name\":\"Passing Call\","
                    + "\"call_date_time\":\"31/12/2018 23:57\",\"disposition\":\"HAN\"}")
                .getBytes(StandardCharsets.UTF_8));
        reasons.add("call_date_time");
      }
    }
    values.add("not json".getBytes(StandardCharsets.UTF_8));
    reasons.add("not valid JSON");
    TopicWriter.write(platform.kafka(), topic, 2, values);
    Path codes = Files.createTempFile(Path.of("target").toAbsolutePath(), "radio-codes-", ".json");
    Files.writeString(
        codes,
        "[{\"disposition_code\":\"HAN\",\"description\":\"Handled\"},"
            + "{\"disposition_code\":\"ARR\",\"description\":\"Arrestation (été)\"}]");

    // Step 2: run the pipeline over the topic, with the file's radio codes.
    PipelineRun run = run(platform, topic, "counted", 500);
    assertThat(run.runOnce(600, List.of("--radio-codes", codes.toString())))
        .as("log: " + run.log())
        .isZero();

    // Step 3: the table holds exactly the counts computed here.
    try (Connection connection = run.connect()) {
      assertThat(TestCalls.hourlyCounts(connection)).isEqualTo(expected);
      assertThat(expected.keySet()).anyMatch(key -> key.endsWith("| ZZZ | unknown"));
      assertThat(expected.keySet()).anyMatch(key -> key.endsWith("| GOA | unknown"));
      List<String> quarantined =
          TableRows.rows(
              connection,
              "SELECT reason FROM quarantine WHERE pipeline = 'calls' ORDER BY kafka_partition,"
                  + " kafka_offset");
      assertThat(quarantined).hasSize(reasons.size());
      for (String reason : List.of("duplicate", "call_date_time must be", "not valid JSON")) {
        assertThat(quarantined.stream().filter(r -> r.contains(reason)).count())
            .as(reason)
            .isEqualTo(reasons.stream().filter(r -> reason.startsWith(r)).count());
      }
      assertThat(TableRows.count(connection, "SELECT sum(records) FROM pipeline_batches"))
          .isEqualTo(values.size());
    }
  }

  @Test
  void outOfOrderCallsWithinTheWatermarkCountLateOnesAreDroppedAndCounted() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String topic = "calls-late";
    PipelineRun run = run(platform, topic, "late", 200);
    // Step 1: hours 0 to 2, a call every 10 minutes; the newest is at 2:50.
    List<byte[]> first = new ArrayList<>();
    for (int minute = 0; minute < 180; minute += 10) {
      first.add(TestCalls.call("a" + minute, "Passing Call", T0.plusMinutes(minute), "HAN"));
    }
    TopicWriter.write(platform.kafka(), topic, 2, first);
    assertThat(run.runOnce(300)).as("log: " + run.log()).isZero();

    // Step 2: one more call on time, at 2:55: the batches after it are judged by the newest call
    // before it, 2:50, minus the 30 minutes (Spark's rule: a batch of slack).
    TopicWriter.write(
        platform.kafka(),
        topic,
        2,
        List.of(TestCalls.call("on-time", "Passing Call", T0.plusMinutes(175), "HAN")));
    assertThat(run.runOnce(300)).as("log: " + run.log()).isZero();

    // Step 3: a call of hour 0, which closed long before the watermark of 2:20: dropped; one at
    // 2:25, out of order but of an hour still open: counted.
    TopicWriter.write(
        platform.kafka(),
        topic,
        2,
        List.of(
            TestCalls.call("late", "Passing Call", T0.plusMinutes(5), "HAN"),
            TestCalls.call("within", "Passing Call", T0.plusMinutes(145), "HAN")));
    assertThat(run.runOnce(300)).as("log: " + run.log()).isZero();
    assertThat(Files.readString(run.log()))
        .contains("1 calls of hours closed before this batch (watermark ");

    // Step 4: six calls in hours 0 and 1, eight in hour 2; the late call is not counted, but
    // counted as late beside the watermark, which trails the newest call before the last batch
    // (2:55) by the 30 minutes.
    try (Connection connection = run.connect()) {
      assertThat(TestCalls.hourlyCounts(connection))
          .containsExactly(
              Map.entry(TestCalls.key(T0, "Passing Call", "HAN", "Handled"), 6L),
              Map.entry(TestCalls.key(T0.plusHours(1), "Passing Call", "HAN", "Handled"), 6L),
              Map.entry(TestCalls.key(T0.plusHours(2), "Passing Call", "HAN", "Handled"), 8L));
      assertThat(TableRows.count(connection, "SELECT count(*) FROM quarantine")).isZero();
      assertThat(
              TableRows.rows(
                  connection,
                  "SELECT extract(epoch FROM newest_event)::bigint || ' ' || extract(epoch FROM"
                      + " watermark)::bigint || ' ' || late FROM watermarks WHERE pipeline ="
                      + " 'calls'"))
          .containsExactly(
              epochSeconds(T0.plusMinutes(175)) + " " + epochSeconds(T0.plusMinutes(145)) + " 1");
    }
  }

  private static long epochSeconds(LocalDateTime sanFranciscoTime) {
    return sanFranciscoTime.atZone(TestCalls.SAN_FRANCISCO).toEpochSecond();
  }

  static PipelineRun run(EmbeddedPlatform platform, String topic, String name, long perBatch)
      throws Exception {
    Path home =
        Files.createTempDirectory(Path.of("target").toAbsolutePath(), "calls-" + name + "-");
    return new PipelineRun(platform, CallsDefinition.NAME, home, "calls_" + name, topic, perBatch);
  }
}
