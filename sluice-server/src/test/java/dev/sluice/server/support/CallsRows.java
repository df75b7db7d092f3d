package dev.sluice.server.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Writes one committed batch the way the calls pipeline does: upserts of {@code calls_hourly} with
 * the batch's seq, its ledger entry and the NOTIFY, in one transaction. Test data for the page and
 * the API; the pipeline's own tests run the real pipeline.
 */
public final class CallsRows {
  /** One row of {@code calls_hourly}: the hour's full count so far. */
  public record Hour(
      Instant windowStart, String callType, String disposition, String description, long count) {}

  private final Connection connection;

  public CallsRows(Connection connection) {
    this.connection = connection;
  }

  public void commitBatch(long seq, Hour... hours) throws SQLException {
    connection.setAutoCommit(false);
    try {
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO calls_hourly (window_start, call_type, disposition, description, count,"
                  + " updated_seq) VALUES (?, ?, ?, ?, ?, ?)"
                  + " ON CONFLICT (window_start, call_type, disposition) DO UPDATE SET"
                  + " count = EXCLUDED.count, updated_seq = EXCLUDED.updated_seq")) {
        for (Hour hour : hours) {
          s.setTimestamp(1, Timestamp.from(hour.windowStart()));
          s.setString(2, hour.callType());
          s.setString(3, hour.disposition());
          s.setString(4, hour.description());
          s.setLong(5, hour.count());
          s.setLong(6, seq);
          s.addBatch();
        }
        s.executeBatch();
      }
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, end_offsets,"
                  + " records, quarantined, started_at)"
                  + " VALUES ('calls', 'calls', 'test-checkpoint', ?, ?, '{}', ?, 0, now())")) {
        s.setLong(1, seq);
        s.setLong(2, seq);
        s.setLong(3, hours.length);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          connection.prepareStatement(
              "INSERT INTO pipelines (name, state, started_at, updated_at, last_batch_id,"
                  + " last_batch_duration_ms, input_rows_per_second, processed_rows_per_second,"
                  + " kafka_lag) VALUES ('calls', 'RUNNING', now(), now(), ?, 250, 50.0, 52.5, 3)"
                  + " ON CONFLICT (name) DO UPDATE SET updated_at = now(),"
                  + " last_batch_id = EXCLUDED.last_batch_id")) {
        s.setLong(1, seq);
        s.executeUpdate();
      }
      try (PreparedStatement s =
          connection.prepareStatement("SELECT pg_notify('sluice_batches', ?)")) {
        s.setString(1, "{\"pipeline\":\"calls\",\"batch_id\":" + seq + "}");
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
