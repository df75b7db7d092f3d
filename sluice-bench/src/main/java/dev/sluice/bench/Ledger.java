package dev.sluice.bench;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The batch ledger's totals for one pipeline: what the benchmark counts the pipeline's work by,
 * whatever its own tables are.
 *
 * @param batches committed micro-batches
 * @param records Kafka records they read
 * @param quarantined of which were rejected
 * @param meanBatchMs mean time from a batch's start of writing to its commit
 * @param maxBatchMs the longest of those
 */
public record Ledger(
    long batches, long records, long quarantined, double meanBatchMs, double maxBatchMs) {

  static Ledger read(Database database, String pipeline) {
    try (Connection connection = database.connect()) {
      return read(connection, pipeline);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }

  /** On an open connection, for watching a running pipeline without a new connection per look. */
  static Ledger read(Connection connection, String pipeline) {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT count(*), coalesce(sum(records), 0), coalesce(sum(quarantined), 0),"
                + " coalesce(avg(extract(epoch FROM committed_at - started_at)::double precision * 1000), 0),"
                + " coalesce(max(extract(epoch FROM committed_at - started_at)::double precision * 1000), 0)"
                + " FROM pipeline_batches WHERE pipeline = ?")) {
      statement.setString(1, pipeline);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return new Ledger(
            row.getLong(1), row.getLong(2), row.getLong(3), row.getDouble(4), row.getDouble(5));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }
}
