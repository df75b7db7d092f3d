package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The latency percentiles of a pipeline, from a real topic's Kafka timestamps and a real ledger's
 * batches, on records with known latencies.
 */
class LatencyStatsIT {
  static final String PIPELINE = "test-latency";
  static Instant commit;
  static EmbeddedPlatform platform;
  static Database database;
  static String topic;

  @BeforeAll
  static void topicAndLedgerWithKnownLatencies() throws Exception {
    platform = EmbeddedPlatform.shared();
    Database base = new Database(platform.dbUrl(), platform.dbUser(), null);
    try (Connection connection = base.connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS latency_stats_test CASCADE");
      statement.execute("CREATE SCHEMA latency_stats_test");
    }
    database =
        new Database(
            BenchRun.withSchema(platform.dbUrl(), "latency_stats_test"), platform.dbUser(), null);
    database.migrate(List.of());
    topic = "latency-stats-" + ProcessHandle.current().pid();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(topic, 2);
    }
    // An hour ago, so the broker takes the timestamps as they are.
    commit = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    // Step 1: records with known Kafka timestamps. Partition 0: offsets 0..99, sent 1..100 ms
    // before batch 0 commits. Partition 1: offset 0 sent as batch 0 commits, read by batch 1 a
    // second later; offset 1, far older, read by no batch yet.
    try (KafkaProducer<String, byte[]> producer =
        ReliableProducer.create(platform.kafka(), "latency-stats-test")) {
      for (int ms = 1; ms <= 100; ms++) {
        send(producer, 0, commit.minusMillis(ms));
      }
      send(producer, 1, commit);
      send(producer, 1, commit.minusSeconds(500));
    }

    // Step 2: the ledger. Another pipeline's batch that read everything an hour later must not
    // count.
    try (Connection connection = database.connect()) {
      batch(connection, PIPELINE, 0, "{\"0\": 100, \"1\": 0}", commit);
      batch(connection, PIPELINE, 1, "{\"0\": 100, \"1\": 1}", commit.plusSeconds(1));
      batch(connection, "other", 0, "{\"0\": 100, \"1\": 2}", commit.plusSeconds(3600));
    }
  }

  @Test
  void percentilesInterpolateOverTheRecordsTheLedgerCommitted() throws SQLException {
    try (Connection connection = database.connect()) {
      LatencyStats stats = LatencyStats.measure(connection, PIPELINE, platform.kafka(), topic);
      // 101 latencies: 1, 2, ..., 100 and 1000 ms. The median is the 51st; the 99th percentile lies
      // at rank 1 + 0.99 * 100 = 100, the value 100. The uncommitted record is left out.
      assertThat(stats.records()).isEqualTo(101);
      assertThat(stats.p50Ms()).isCloseTo(51.0, within(1e-6));
      assertThat(stats.p99Ms()).isCloseTo(100.0, within(1e-6));
      assertThat(stats.maxMs()).isCloseTo(1000.0, within(1e-6));
    }
  }

  @Test
  void recordsStampedBeforeTheMeasurementStartsAreLeftOut() throws SQLException {
    try (Connection connection = database.connect()) {
      // From 50 ms before the commit: the records sent 1..50 ms before it, and the one sent at it.
      LatencyStats stats =
          LatencyStats.measure(
              connection, PIPELINE, platform.kafka(), topic, commit.minusMillis(50).toEpochMilli());
      assertThat(stats.records()).isEqualTo(51);
      assertThat(stats.maxMs()).isCloseTo(1000.0, within(1e-6));
    }
  }

  @Test
  void aPipelineWithoutCommittedBatchesHasNoLatencies() throws SQLException {
    try (Connection connection = database.connect()) {
      LatencyStats stats =
          LatencyStats.measure(connection, "no-such-pipeline", platform.kafka(), topic);
      assertThat(stats.records()).isZero();
    }
  }

  private static void send(KafkaProducer<String, byte[]> producer, int partition, Instant at)
      throws Exception {
    producer
        .send(
            new ProducerRecord<>(
                topic, partition, at.toEpochMilli(), null, "{}".getBytes(StandardCharsets.UTF_8)))
        .get();
  }

  private static void batch(
      Connection connection, String pipeline, long seq, String offsets, Instant committedAt)
      throws SQLException {
    try (PreparedStatement insert =
        connection.prepareStatement(
            "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, end_offsets, records, quarantined,"
                + " started_at, committed_at) VALUES (?, ?, 'test-checkpoint', ?, ?, ?::jsonb, 1, 0, ?, ?)")) {
      insert.setString(1, pipeline);
      insert.setString(2, pipeline);
      insert.setLong(3, seq);
      insert.setLong(4, seq);
      insert.setString(5, "{\"" + topic + "\": " + offsets + "}");
      insert.setTimestamp(6, Timestamp.from(committedAt.minusSeconds(1)));
      insert.setTimestamp(7, Timestamp.from(committedAt));
      insert.executeUpdate();
    }
  }
}
