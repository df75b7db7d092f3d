package dev.sluice.spark.bench;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * End-to-end latency of the reviews pipeline, from each review's Kafka timestamp (set by the
 * producer when it sent the review) to the commit of the micro-batch that wrote its prediction:
 * before that commit the row is not part of the committed results (the ledger's {@code
 * committed_at}, see {@link dev.sluice.spark.stream.BatchLedger}). Computed by PostgreSQL over
 * every prediction of a topic; both clocks are this machine's.
 *
 * @param reviews predictions measured
 * @param p50Ms median, interpolated ({@code percentile_cont})
 * @param p99Ms 99th percentile, interpolated
 * @param maxMs the slowest review
 */
record LatencyStats(long reviews, double p50Ms, double p99Ms, double maxMs) {

  static final String SQL =
      "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY latency_ms),"
          + " percentile_cont(0.99) WITHIN GROUP (ORDER BY latency_ms), max(latency_ms)"
          + " FROM (SELECT extract(epoch FROM b.committed_at - p.kafka_ts)::double precision * 1000 AS latency_ms"
          + "   FROM predictions p JOIN pipeline_batches b ON b.pipeline = ? AND b.seq = p.batch_id"
          + "   WHERE p.topic = ?) latencies";

  /**
   * The latencies of every prediction of {@code topic} written by {@code pipeline}; zeros when
   * there are none.
   */
  static LatencyStats measure(Connection connection, String pipeline, String topic)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(SQL)) {
      statement.setString(1, pipeline);
      statement.setString(2, topic);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return new LatencyStats(
            row.getLong(1), row.getDouble(2), row.getDouble(3), row.getDouble(4));
      }
    }
  }
}
