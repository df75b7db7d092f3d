package dev.sluice.spark.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * The exactly-once ledger ({@code pipeline_batches}). A batch's cumulative results are applied in
 * the same transaction that records the batch, so they are applied exactly once: a batch that
 * Spark replays after a crash finds its row and changes nothing. The same transaction announces
 * the batch on {@link Database#BATCHES_CHANNEL}, so listeners hear of exactly the committed ones.
 */
public final class BatchLedger {
  private final Database database;
  private final String pipeline;

  public BatchLedger(Database database, String pipeline) {
    this.database = database;
    this.pipeline = pipeline;
  }

  /** What a micro-batch read: every Kafka record, and how many of them went to quarantine. */
  public record BatchCounts(long records, long quarantined) {}

  /** Cumulative updates applied inside the ledger's transaction. */
  @FunctionalInterface
  public interface CommitWork {
    void apply(Connection connection) throws SQLException;
  }

  public boolean isCommitted(long batchId) {
    try (Connection connection = database.connect();
        PreparedStatement select =
            connection.prepareStatement("SELECT 1 FROM pipeline_batches WHERE pipeline = ? AND batch_id = ?")) {
      select.setString(1, pipeline);
      select.setLong(2, batchId);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }

  /**
   * Records the batch and applies its work in one transaction, unless the batch is already
   * recorded. Returns whether this call committed it.
   */
  public boolean commitOnce(long batchId, BatchCounts counts, Instant startedAt, CommitWork work) {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try {
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO pipeline_batches (pipeline, batch_id, records, quarantined, started_at)"
                    + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (pipeline, batch_id) DO NOTHING")) {
          insert.setString(1, pipeline);
          insert.setLong(2, batchId);
          insert.setLong(3, counts.records());
          insert.setLong(4, counts.quarantined());
          insert.setTimestamp(5, Timestamp.from(startedAt));
          if (insert.executeUpdate() == 0) {
            connection.rollback();
            return false;
          }
        }
        work.apply(connection);
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
          ObjectNode payload = JsonNodeFactory.instance.objectNode().put("pipeline", pipeline).put("batch_id", batchId);
          notify.setString(1, Database.BATCHES_CHANNEL);
          notify.setString(2, payload.toString());
          notify.execute();
        }
        connection.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot commit batch " + batchId + " of " + pipeline + ": " + e.getMessage(), e);
    }
  }
}
