package dev.sluice.spark.bench;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/** What the benchmark reads back from a pipeline's tables to check and time it. */
final class BenchTables {
  private BenchTables() {}

  /**
   * The ledger's totals for one pipeline.
   *
   * @param batches committed micro-batches
   * @param records Kafka records they read
   * @param quarantined of which were rejected
   * @param meanBatchMs mean time from a batch's start of writing to its commit
   * @param maxBatchMs the longest of those
   */
  record Ledger(
      long batches, long records, long quarantined, double meanBatchMs, double maxBatchMs) {}

  static Ledger ledger(Database database, String pipeline) {
    try (Connection connection = database.connect()) {
      return ledger(connection, pipeline);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }

  /** On an open connection, for watching a running pipeline without a new connection per look. */
  static Ledger ledger(Connection connection, String pipeline) {
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

  static long predictions(Database database) {
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT count(*) FROM predictions")) {
      row.next();
      return row.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count the predictions: " + e.getMessage(), e);
    }
  }

  static Map<String, Long> wordCounts(Database database) {
    Map<String, Long> counts = new HashMap<>();
    try (Connection connection = database.connect()) {
      // A cursor instead of the whole table in one result: the driver fetches only with autocommit
      // off.
      connection.setAutoCommit(false);
      try (Statement statement = connection.createStatement()) {
        statement.setFetchSize(10_000);
        try (ResultSet rows = statement.executeQuery("SELECT word, count FROM word_counts")) {
          while (rows.next()) {
            counts.put(rows.getString(1), rows.getLong(2));
          }
        }
      }
      connection.rollback();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the word counts: " + e.getMessage(), e);
    }
    return counts;
  }

  static LatencyStats latency(Database database, String pipeline, String topic) {
    try (Connection connection = database.connect()) {
      return LatencyStats.measure(connection, pipeline, topic);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot compute the latencies: " + e.getMessage(), e);
    }
  }
}
