package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.spark.testing.CrashDrill;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicReader;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * The revenue pipeline killed with SIGKILL three times while records arrive ends with what an
 * uninterrupted run over the same records writes: the same Redis state, the same quarantine and
 * counts in PostgreSQL, the same last value for every key of both output topics.
 */
class RevenueCrashIT {
  @Test
  void killedThreeTimesEndsWithTheResultsOfAnUninterruptedRun() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    // Step 1: 1,500 updates of 60 ids over 5 minutes of event time, arriving over 90 s (a
    // real-time query writes what it reads within milliseconds: only a stream still arriving can
    // be cut mid-way).
    RevenueTestRecords sent = RevenueTestRecords.generate(20261201, 60, 1_500, 5);
    String topic = "revenue-crash";
    long done = sent.distinctRecords() + sent.malformed.size() + sent.messages.size();
    CompletableFuture<Void> arriving =
        TopicWriter.writeKeyedOverTime(
            platform.kafka(), topic, 2, sent.messages, 45, Duration.ofSeconds(90));

    // The killed run reads 100 records a batch, so that kills land between many batches. The
    // uninterrupted run finds every record already there, so it reads them in one batch: batches
    // of a run that catches up are cut elsewhere anyway, and at 100 a batch it took 86 s.
    try (RevenueRun crashing = new RevenueRun(platform, topic, "killed", 100);
        RevenueRun calm = new RevenueRun(platform, topic, "calm", 10_000)) {
      // Step 2: three kills, then to the end; then a run that is never interrupted.
      CrashDrill.runContinuous(crashing.pipeline, 3, crashing::progress, done, 20261201);
      arriving.get(5, TimeUnit.MINUTES);
      CrashDrill.runUntil(calm.pipeline, calm::progress, done);

      // Step 3: the same results everywhere, and the right ones.
      try (Jedis jedis = crashing.redis()) {
        Map<String, String> killedState = RedisState.dump(jedis, crashing.keys);
        assertThat(killedState).isEqualTo(RedisState.dump(jedis, calm.keys));
        assertThat(killedState).containsKeys("totals", "top", "minutes");
      }
      RevenueModel model = new RevenueModel(sent.records);
      RevenueChecks.redisEqualsModel(crashing, model);
      RevenueChecks.computedEqualsModel(platform.kafka(), crashing, model);
      RevenueChecks.minutesEqualModel(platform.kafka(), crashing, sent);
      assertThat(TopicReader.lastValueByKey(platform.kafka(), crashing.computed))
          .isEqualTo(TopicReader.lastValueByKey(platform.kafka(), calm.computed));
      assertThat(TopicReader.lastValueByKey(platform.kafka(), crashing.minutes))
          .isEqualTo(TopicReader.lastValueByKey(platform.kafka(), calm.minutes));
      try (Connection killedTables = crashing.pipeline.connect();
          Connection calmTables = calm.pipeline.connect()) {
        assertThat(postgresRows(killedTables)).isEqualTo(postgresRows(calmTables));
        assertThat(TableRows.count(killedTables, "SELECT count(*) FROM quarantine"))
            .isEqualTo(sent.malformed.size());
      }
    }
  }

  /**
   * The quarantine (without the batch that claimed each row: the real-time query's epochs and the
   * minutes query's batches differ between runs) and the ledger's counts per query (a run killed
   * while records arrive cuts its batches elsewhere than one that finds them all there).
   */
  private static List<List<String>> postgresRows(Connection connection) throws SQLException {
    return List.of(
        TableRows.rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, reason, raw_prefix, raw_length FROM quarantine"
                + " ORDER BY topic, kafka_partition, kafka_offset"),
        TableRows.rows(
            connection,
            "SELECT query, sum(records), sum(quarantined),"
                + " (array_agg(end_offsets::text ORDER BY seq DESC))[1] FROM pipeline_batches"
                + " WHERE pipeline = '"
                + RevenueDefinition.NAME
                + "' GROUP BY query ORDER BY query"));
  }
}
