package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
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
  @Test
  void redisAndTheOutputTopicsEqualTheModelOfTheRecordsSent() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    // Step 1: 600 updates of 40 ids over 5 minutes of event time, duplicates and malformed ones;
    // then records of event time far behind the watermark, which arrive last.
    RevenueTestRecords sent = RevenueTestRecords.generate(20261130, 40, 600, 5);
    RevenueTestRecords late = sent.late(7, 30);
    List<RevenueRecord> all = new ArrayList<>(sent.records);
    all.addAll(late.records);
    RevenueModel model = new RevenueModel(all);
    long entries = model.history.values().stream().mapToLong(Set::size).sum();
    String topic = "revenue-it";
    TopicWriter.writeKeyed(platform.kafka(), topic, 2, sent.messages);

    try (RevenueRun run = new RevenueRun(platform, topic, "it", 100)) {
      // Step 2: the pipeline takes in everything, then the late records.
      Process pipeline = run.pipeline.start(false);
      try {
        RevenueChecks.awaitOrFail(
            pipeline,
            run,
            () -> run.done(sent.distinctRecords(), sent.malformed.size(), sent.messages.size()));
        TopicWriter.writeKeyed(platform.kafka(), topic, 2, late.messages);
        RevenueChecks.awaitOrFail(
            pipeline,
            run,
            () ->
                run.done(
                    entries, sent.malformed.size(), sent.messages.size() + late.messages.size()));
      } finally {
        pipeline.destroy();
        assertThat(pipeline.waitFor(60, TimeUnit.SECONDS)).isTrue();
      }

      // Step 3: Redis and both topics against the model; late records are in the histories only,
      // and left out of their minutes.
      assertThat(model.latest).containsKey("7");
      RevenueChecks.redisEqualsModel(run, model);
      RevenueChecks.computedEqualsModel(platform.kafka(), run, model);
      RevenueChecks.minutesEqualModel(platform.kafka(), run, sent);

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
    }
  }
}
