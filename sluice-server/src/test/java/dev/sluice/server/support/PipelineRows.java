package dev.sluice.server.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Map;

/**
 * Writes one committed micro-batch the way the reviews pipeline does: its rows, its ledger entry,
 * its status and the NOTIFY, in one transaction. Test data for shapes and limits; the end-to-end
 * test runs the real pipeline.
 */
public final class PipelineRows {
  /** One prediction row. {@code truth} may be null. */
  public record Row(
      String id, String text, String predicted, double probability, String truth, Integer score) {}

  private final Connection connection;
  private long nextOffset;
  private long reviews;
  private long total;
  private long correct;

  /** Continues from what the schema holds: offsets and the cumulative accuracy counts. */
  public PipelineRows(Connection connection) throws SQLException {
    this.connection = connection;
    try (var s = connection.createStatement();
        var rs =
            s.executeQuery(
                "SELECT (SELECT coalesce(max(kafka_offset) + 1, 0) FROM predictions WHERE kafka_partition = 0),"
                    + " coalesce(reviews, 0), coalesce(total, 0), coalesce(correct, 0)"
                    + " FROM (SELECT 1) one LEFT JOIN (SELECT * FROM accuracy ORDER BY batch_id DESC LIMIT 1) a ON true")) {
      rs.next();
      nextOffset = rs.getLong(1);
      reviews = rs.getLong(2);
      total = rs.getLong(3);
      correct = rs.getLong(4);
    }
  }

  public void commitBatch(long batchId, Map<String, Long> wordDeltas, Row... rows)
      throws SQLException {
    connection.setAutoCommit(false);
    try {
      Instant ts = Instant.now();
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO predictions (topic, kafka_partition, kafka_offset, id, batch_id, excerpt, predicted,"
                  + " probability, truth, score, kafka_ts) VALUES ('reviews', 0, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (Row row : rows) {
          s.setLong(1, nextOffset++);
          s.setString(2, row.id());
          s.setLong(3, batchId);
          s.setString(4, row.text());
          s.setString(5, row.predicted());
          s.setDouble(6, row.probability());
          s.setString(7, row.truth());
          if (row.score() == null) {
            s.setNull(8, Types.SMALLINT);
          } else {
            s.setInt(8, row.score());
          }
          s.setTimestamp(9, Timestamp.from(ts = ts.plusMillis(1)));
          s.addBatch();
          reviews++;
          if (row.truth() != null) {
            total++;
            correct += row.truth().equals(row.predicted()) ? 1 : 0;
          }
        }
        s.executeBatch();
      }
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO word_counts (word, count) VALUES (?, ?)"
                  + " ON CONFLICT (word) DO UPDATE SET count = word_counts.count + EXCLUDED.count")) {
        for (Map.Entry<String, Long> delta : wordDeltas.entrySet()) {
          s.setString(1, delta.getKey());
          s.setLong(2, delta.getValue());
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO accuracy (batch_id, reviews, total, correct, accuracy) VALUES (?, ?, ?, ?, ?)")) {
        s.setLong(1, batchId);
        s.setLong(2, reviews);
        s.setLong(3, total);
        s.setLong(4, correct);
        if (total == 0) {
          s.setNull(5, Types.DOUBLE);
        } else {
          s.setDouble(5, (double) correct / total);
        }
        s.executeUpdate();
      }
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, end_offsets, records, quarantined, started_at)"
                  + " VALUES ('reviews', 'reviews', 'test-checkpoint', ?, ?, '{}', ?, 1, now())")) {
        s.setLong(1, batchId);
        s.setLong(2, batchId);
        s.setLong(3, rows.length + 1L);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO pipelines (name, state, started_at, updated_at, last_batch_id, last_batch_duration_ms,"
                  + " input_rows_per_second, processed_rows_per_second, kafka_lag)"
                  + " VALUES ('reviews', 'RUNNING', now(), now(), ?, 250, 120.5, 130.25, 7)"
                  + " ON CONFLICT (name) DO UPDATE SET updated_at = now(), last_batch_id = EXCLUDED.last_batch_id")) {
        s.setLong(1, batchId);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          connection.prepareStatement("SELECT pg_notify('sluice_batches', ?)")) {
        s.setString(1, "{\"pipeline\":\"reviews\",\"batch_id\":" + batchId + "}");
        s.execute();
      }
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }
}
