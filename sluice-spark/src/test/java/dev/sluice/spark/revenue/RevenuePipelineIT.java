package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicReader;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The revenue pipeline end to end, on the real Kafka, PostgreSQL and Redis: records with updates,
 * duplicates, records out of order and late ones, ids as strings and integers, malformed records.
 * Redis ends equal to a model computed here from the records sent; the last value of every key of
 * the computed topic is the id's latest in Redis; the minutes are right, in Redis and on their
 * topic; malformed records are in quarantine with their reasons, and counted.
 */
class RevenuePipelineIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void redisAndTheOutputTopicsEqualTheModelOfTheRecordsSent() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    // Step 1: 600 updates of 40 ids over 5 minutes of event time, duplicates and malformed ones;
    // then records of event time far behind the watermark; then, at 20 a second, newer states.
    RevenueTestRecords sent = RevenueTestRecords.generate(20261130, 40, 600, 5);
    RevenueTestRecords late = sent.late(7, 30);
    RevenueTestRecords fresh = sent.fresh(8, 200);
    RevenueTestRecords inTime = sent.plus(fresh);
    List<RevenueRecord> all = new ArrayList<>(inTime.records);
    all.addAll(late.records);
    RevenueModel model = new RevenueModel(all);
    long entries = model.history.values().stream().mapToLong(Set::size).sum();
    long messages = sent.messages.size() + late.messages.size() + fresh.messages.size();
    String topic = "revenue-it";
    TopicWriter.writeKeyed(platform.kafka(), topic, 2, sent.messages);

    try (RevenueRun run = new RevenueRun(platform, topic, "it", 400)) {
      // Step 2: the pipeline takes in everything, then the late records, then the fresh ones.
      Process pipeline = run.pipeline.start(false);
      try {
        RevenueChecks.awaitOrFail(
            pipeline,
            run,
            () -> run.done(sent.distinctRecords(), sent.malformed.size(), sent.messages.size()));
        TopicWriter.writeKeyed(platform.kafka(), topic, 2, late.messages);
        TopicWriter.writeKeyedOverTime(
                platform.kafka(), topic, 2, fresh.messages, 20, Duration.ofSeconds(10))
            .get(2, TimeUnit.MINUTES);
        RevenueChecks.awaitOrFail(
            pipeline, run, () -> run.done(entries, sent.malformed.size(), messages));
      } finally {
        pipeline.destroy();
        assertThat(pipeline.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }

      // Step 3: Redis and both topics against the model; late records are in the histories only,
      // and left out of their minutes.
      assertThat(model.latest).containsKey("7");
      RevenueChecks.redisEqualsModel(run, model);
      RevenueChecks.computedEqualsModel(platform.kafka(), run, model);
      RevenueChecks.minutesEqualModel(platform.kafka(), run, inTime);

      // Malformed records are quarantined with the codec's reasons, and counted by the ledger.
      try (Connection connection = run.pipeline.connect()) {
        List<String> expectedReasons = new ArrayList<>();
        for (String value : sent.malformed) {
          expectedReasons.add(RevenueCodec.decode(value).reason());
        }
        expectedReasons.sort(null);
        assertThat(expectedReasons).isNotEmpty();
        List<String> reasons =
            new ArrayList<>(TableRows.rows(connection, "SELECT reason FROM quarantine"));
        reasons.sort(null);
        assertThat(reasons).isEqualTo(expectedReasons);
        assertThat(
                TableRows.count(
                    connection,
                    "SELECT sum(quarantined) FROM pipeline_batches WHERE query = 'revenue-minutes'"))
            .isEqualTo(sent.malformed.size());
      }
      reportLatency(platform.kafka(), run, fresh);
    }
  }

  /**
   * Prints how long the fresh records took from their append to the input topic to their state on
   * the computed topic (Redis was written just before): a measurement, not a check.
   */
  private static void reportLatency(String kafka, RevenueRun run, RevenueTestRecords fresh)
      throws Exception {
    Map<String, Long> appended = new HashMap<>();
    for (TopicReader.Message message : TopicReader.readAll(kafka, run.records)) {
      RevenueCodec.Decoded decoded = RevenueCodec.decode(message.value());
      if (decoded.ok()) {
        appended.putIfAbsent(
            decoded.record().version() + decoded.record().id(), message.timestamp());
      }
    }
    Set<String> freshVersions = new java.util.HashSet<>();
    fresh.records.forEach(r -> freshVersions.add(r.version() + r.id()));
    List<Long> latencies = new ArrayList<>();
    for (TopicReader.Message message : TopicReader.readAll(kafka, run.computed)) {
      JsonNode state = JSON.readTree(message.value());
      String key = state.get("version").asText() + message.key();
      if (freshVersions.contains(key) && appended.containsKey(key)) {
        latencies.add(message.timestamp() - appended.get(key));
      }
    }
    assertThat(latencies).isNotEmpty();
    latencies.sort(null);
    System.out.printf(
        Locale.ROOT,
        "revenue.computed latency over %d fresh records: p50 %d ms, p99 %d ms, max %d ms%n",
        latencies.size(),
        latencies.get(latencies.size() / 2),
        latencies.get(Math.min(latencies.size() - 1, (int) (latencies.size() * 0.99))),
        latencies.get(latencies.size() - 1));
  }
}
