package dev.sluice.server;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * Every pipeline's status: the row its Spark application keeps in {@code pipelines}, with totals
 * from the batch ledger. Served by {@code GET /api/pipelines} and the live {@code pipelines} event.
 */
public final class PipelineStatuses {
  private PipelineStatuses() {}

  public record PipelineStatus(
      String name,
      String state,
      String detail,
      String startedAt,
      String updatedAt,
      Long lastBatchId,
      Long lastBatchDurationMs,
      Double inputRowsPerSecond,
      Double processedRowsPerSecond,
      Long kafkaLag,
      long batches,
      long records,
      long quarantined,
      String lastCommittedAt) {}

  /**
   * What replaces a pipeline's {@code detail} for callers without the API token: the detail is the
   * pipeline's own failure text (exception messages, paths, hosts), for its operators only.
   */
  public static final String DETAIL_WITHHELD =
      "withheld: send 'Authorization: Bearer <token>' to see it";

  /** The statuses as callers without the API token see them: without any detail. */
  public static List<PipelineStatus> withoutDetails(List<PipelineStatus> statuses) {
    List<PipelineStatus> open = new ArrayList<>(statuses.size());
    for (PipelineStatus s : statuses) {
      open.add(
          s.detail() == null
              ? s
              : new PipelineStatus(
                  s.name(),
                  s.state(),
                  DETAIL_WITHHELD,
                  s.startedAt(),
                  s.updatedAt(),
                  s.lastBatchId(),
                  s.lastBatchDurationMs(),
                  s.inputRowsPerSecond(),
                  s.processedRowsPerSecond(),
                  s.kafkaLag(),
                  s.batches(),
                  s.records(),
                  s.quarantined(),
                  s.lastCommittedAt()));
    }
    return open;
  }

  /** Each pipeline's status row with its totals from the batch ledger. */
  public static List<PipelineStatus> read(Connection c) throws SQLException {
    String sql =
        "SELECT p.name, p.state, p.detail, p.started_at, p.updated_at, p.last_batch_id,"
            + " p.last_batch_duration_ms, p.input_rows_per_second, p.processed_rows_per_second, p.kafka_lag,"
            + " coalesce(b.batches, 0), coalesce(b.records, 0), coalesce(b.quarantined, 0), b.last_committed_at"
            + " FROM pipelines p LEFT JOIN ("
            // A status row is a query's (a pipeline may run several), and so is its ledger.
            + "   SELECT query, count(*) AS batches, sum(records) AS records,"
            + "     sum(quarantined) AS quarantined, max(committed_at) AS last_committed_at"
            + "   FROM pipeline_batches GROUP BY query) b ON b.query = p.name"
            + " ORDER BY p.name";
    try (PreparedStatement s = c.prepareStatement(sql);
        ResultSet rs = s.executeQuery()) {
      List<PipelineStatus> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new PipelineStatus(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                iso(rs.getTimestamp(4)),
                iso(rs.getTimestamp(5)),
                nullableLong(rs, 6),
                nullableLong(rs, 7),
                nullableDouble(rs, 8),
                nullableDouble(rs, 9),
                nullableLong(rs, 10),
                rs.getLong(11),
                rs.getLong(12),
                rs.getLong(13),
                iso(rs.getTimestamp(14))));
      }
      return rows;
    }
  }

  private static Long nullableLong(ResultSet rs, int column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  private static Double nullableDouble(ResultSet rs, int column) throws SQLException {
    double value = rs.getDouble(column);
    // Spark reports NaN rates before its first batch; JSON has no NaN.
    return rs.wasNull() || !Double.isFinite(value) ? null : value;
  }

  static String iso(Timestamp timestamp) {
    return timestamp == null ? null : timestamp.toInstant().toString();
  }
}
