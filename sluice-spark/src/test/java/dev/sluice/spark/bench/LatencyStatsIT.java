package dev.sluice.spark.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The latency percentiles as PostgreSQL computes them, on rows with known latencies. */
class LatencyStatsIT {
  static final Instant COMMIT = Instant.parse("2026-11-21T10:00:00Z");
  static Database database;

  @BeforeAll
  static void tablesWithKnownLatencies() throws SQLException {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Database base = new Database(platform.dbUrl(), platform.dbUser(), null);
    try (Connection connection = base.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS latency_stats_test CASCADE");
      statement.execute("CREATE SCHEMA latency_stats_test");
    }
    database =
        new Database(
            BenchRun.withSchema(platform.dbUrl(), "latency_stats_test"), platform.dbUser(), null);
    database.migrate();
    try (Connection connection = database.connect()) {
      // Batch 0 of "reviews" commits at COMMIT, batch 1 one second later; batch 0 of another
      // pipeline commits an hour later and must not count.
      batch(connection, "reviews", 0, COMMIT);
      batch(connection, "reviews", 1, COMMIT.plusSeconds(1));
      batch(connection, "other", 0, COMMIT.plusSeconds(3600));
      // Reviews of batch 0 with latencies 1..100 ms, of batch 1 with 1,000 ms.
      for (int ms = 1; ms <= 100; ms++) {
        prediction(connection, "bench-topic", ms, 0, COMMIT.minusMillis(ms));
      }
      prediction(connection, "bench-topic", 101, 1, COMMIT);
      // Another topic's prediction, far slower: must not count either.
      prediction(connection, "other-topic", 0, 0, COMMIT.minusSeconds(500));
    }
  }

  @Test
  void percentilesInterpolateOverThePredictionsOfTheTopic() throws SQLException {
    try (Connection connection = database.connect()) {
      LatencyStats stats = LatencyStats.measure(connection, "reviews", "bench-topic");
      // 101 latencies: 1, 2, ..., 100 and 1000 ms. The median is the 51st; the 99th percentile lies
      // at rank 1 + 0.99 * 100 = 100, the value 100.
      assertThat(stats.reviews()).isEqualTo(101);
      assertThat(stats.p50Ms()).isCloseTo(51.0, within(1e-6));
      assertThat(stats.p99Ms()).isCloseTo(100.0, within(1e-6));
      assertThat(stats.maxMs()).isCloseTo(1000.0, within(1e-6));
    }
  }

  @Test
  void aTopicWithoutPredictionsHasNoLatencies() throws SQLException {
    try (Connection connection = database.connect()) {
      LatencyStats stats = LatencyStats.measure(connection, "reviews", "no-such-topic");
      assertThat(stats.reviews()).isZero();
    }
  }

  private static void batch(
      Connection connection, String pipeline, long batchId, Instant committedAt)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, end_offsets, records, quarantined,"
                + " started_at, committed_at) VALUES (?, ?, 'test-checkpoint', ?, ?, '{}', 1, 0, ?, ?)")) {
      insert.setString(1, pipeline);
      insert.setString(2, pipeline);
      insert.setLong(3, batchId);
      insert.setLong(4, batchId);
      insert.setTimestamp(5, Timestamp.from(committedAt.minusSeconds(1)));
      insert.setTimestamp(6, Timestamp.from(committedAt));
      insert.executeUpdate();
    }
  }

  private static void prediction(
      Connection connection, String topic, long offset, long batchId, Instant kafkaTs)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO predictions (topic, kafka_partition, kafka_offset, id, batch_id, excerpt, predicted, probability, kafka_ts)"
                + " VALUES (?, 0, ?, ?, ?, 'a review', 'pos', 0.9, ?)")) {
      insert.setString(1, topic);
      insert.setLong(2, offset);
      insert.setString(3, topic + "-" + offset);
      insert.setLong(4, batchId);
      insert.setTimestamp(5, Timestamp.from(kafkaTs));
      insert.executeUpdate();
    }
  }
}
