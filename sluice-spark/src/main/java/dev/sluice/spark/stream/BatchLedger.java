package dev.sluice.spark.stream;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.process.PermanentFailure;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * The exactly-once ledger ({@code pipeline_batches}) of one streaming query. A batch's cumulative
 * results are applied in the same transaction that records the batch, so they are applied exactly
 * once: a batch that Spark replays after a crash finds its row and changes nothing. The same
 * transaction announces the batch on {@link Database#BATCHES_CHANNEL}, so listeners hear of exactly
 * the committed ones.
 *
 * <p>A batch is known by the checkpoint that ran it (the query id Spark keeps there) and its batch
 * id, and the ledger records the Kafka offsets it read up to. A batch id already recorded with
 * other offsets means the checkpoint and the database do not belong together: that stops the query,
 * never skips silently. Pipeline tables refer to a committed batch by its {@link Batch#seq()}: the
 * number of the query's batches committed before it, in any checkpoint. A query commits one batch
 * at a time, so a batch's seq is known before it is written, and a replay after a crash gets the
 * same one.
 */
public final class BatchLedger {
  private final Database database;
  private final String pipeline;
  private final String query;
  private final String model;

  public BatchLedger(Database database, String pipeline, String query) {
    this(database, pipeline, query, null);
  }

  private BatchLedger(Database database, String pipeline, String query, String model) {
    this.database = database;
    this.pipeline = pipeline;
    this.query = query;
    this.model = model;
  }

  /**
   * This ledger, recording with each batch it commits that {@code version} of a model scored it.
   */
  public BatchLedger recordingModel(String version) {
    return new BatchLedger(database, pipeline, query, version);
  }

  /** The model version the query's newest committed batch recorded, in any checkpoint. */
  public Optional<String> committedModel() {
    try (Connection connection = database.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT model FROM pipeline_batches WHERE pipeline = ? AND query = ? AND model IS NOT NULL"
                    + " ORDER BY seq DESC LIMIT 1")) {
      select.setString(1, pipeline);
      select.setString(2, query);
      try (ResultSet row = select.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }

  public String pipeline() {
    return pipeline;
  }

  public String query() {
    return query;
  }

  /** What a micro-batch read: every Kafka record, and how many of them went to quarantine. */
  public record BatchCounts(long records, long quarantined) {}

  /** Cumulative updates applied inside the ledger's transaction. */
  @FunctionalInterface
  public interface CommitWork {
    void apply(Connection connection) throws SQLException;
  }

  /**
   * A micro-batch about to be written.
   *
   * @param queryId the checkpoint's identity
   * @param batchId Spark's id of the batch in that checkpoint
   * @param endOffsets the Kafka offsets the batch reads up to (JSON, as the checkpoint has them)
   * @param seq the number pipeline tables know the batch by
   * @param committed whether the ledger already holds it (a replay after a crash)
   */
  public record Batch(
      String queryId, long batchId, String endOffsets, long seq, boolean committed) {}

  /**
   * Looks the batch up before anything is written: a replay of a committed batch comes back {@code
   * committed}; a new one gets the next {@code seq} of the query. Rows recorded before the ledger
   * knew offsets match on the batch id alone.
   *
   * @throws PermanentFailure when the ledger holds this batch with other offsets
   */
  public Batch begin(String queryId, long batchId, String endOffsets) {
    try (Connection connection = database.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT seq, end_offsets IS NULL OR end_offsets = ?::jsonb, end_offsets::text FROM pipeline_batches"
                    + " WHERE pipeline = ? AND query_id = ? AND batch_id = ?")) {
      select.setString(1, endOffsets);
      select.setString(2, pipeline);
      select.setString(3, queryId);
      select.setLong(4, batchId);
      try (ResultSet row = select.executeQuery()) {
        if (row.next()) {
          if (!row.getBoolean(2)) {
            throw new PermanentFailure(
                "batch "
                    + batchId
                    + " of query "
                    + query
                    + " (checkpoint "
                    + queryId
                    + ") is in the ledger with offsets "
                    + row.getString(3)
                    + ", but the checkpoint now reads up to "
                    + endOffsets
                    + ": the checkpoint and the database do not belong together. Point SLUICE_HOME and"
                    + " SLUICE_DB_URL at a matching pair, or move the checkpoint away to resume from the"
                    + " ledger's offsets");
          }
          return new Batch(queryId, batchId, endOffsets, row.getLong(1), true);
        }
      }
      try (PreparedStatement next =
          connection.prepareStatement(
              "SELECT coalesce(max(seq), -1) + 1 FROM pipeline_batches WHERE pipeline = ? AND query = ?")) {
        next.setString(1, pipeline);
        next.setString(2, query);
        try (ResultSet row = next.executeQuery()) {
          row.next();
          return new Batch(queryId, batchId, endOffsets, row.getLong(1), false);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }

  /**
   * Records the batch and applies its work in one transaction, unless the batch is already
   * recorded. Returns whether this call committed it.
   */
  public boolean commitOnce(Batch batch, BatchCounts counts, Instant startedAt, CommitWork work) {
    return commitOnce(batch, connection -> counts, startedAt, work);
  }

  /** Counts a batch inside the ledger's transaction, from what the batch wrote there. */
  @FunctionalInterface
  public interface Counting {
    BatchCounts count(Connection connection) throws SQLException;
  }

  /**
   * Like {@link #commitOnce(Batch, BatchCounts, Instant, CommitWork)}, with the batch's counts
   * taken inside the transaction, before its row is recorded.
   */
  public boolean commitOnce(Batch batch, Counting counting, Instant startedAt, CommitWork work) {
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try {
        BatchCounts counts = counting.count(connection);
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO pipeline_batches (pipeline, query, query_id, batch_id, seq, end_offsets, records,"
                    + " quarantined, started_at, model) VALUES (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?)"
                    + " ON CONFLICT (pipeline, query_id, batch_id) DO NOTHING")) {
          insert.setString(1, pipeline);
          insert.setString(2, query);
          insert.setString(3, batch.queryId());
          insert.setLong(4, batch.batchId());
          insert.setLong(5, batch.seq());
          insert.setString(6, batch.endOffsets());
          insert.setLong(7, counts.records());
          insert.setLong(8, counts.quarantined());
          insert.setTimestamp(9, Timestamp.from(startedAt));
          insert.setString(10, model);
          if (insert.executeUpdate() == 0) {
            connection.rollback();
            return false;
          }
        }
        work.apply(connection);
        try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify(?, ?)")) {
          ObjectNode payload =
              JsonNodeFactory.instance
                  .objectNode()
                  .put("pipeline", pipeline)
                  .put("batch_id", batch.seq());
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
      throw new IllegalStateException(
          "cannot commit batch " + batch.batchId() + " of " + query + ": " + e.getMessage(), e);
    }
  }

  /**
   * Gives rows recorded before the ledger knew checkpoints (an empty query id) to this checkpoint,
   * the only one that can have written them.
   */
  public int adoptRowsWithoutCheckpoint(String queryId) {
    try (Connection connection = database.connect();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE pipeline_batches SET query_id = ? WHERE pipeline = ? AND query = ? AND query_id = ''")) {
      update.setString(1, queryId);
      update.setString(2, pipeline);
      update.setString(3, query);
      return update.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot update the batch ledger: " + e.getMessage(), e);
    }
  }

  /**
   * The offsets the query's newest committed batch read up to, in any checkpoint: where a query
   * that lost its checkpoint resumes. Empty when nothing was committed, or only before the ledger
   * recorded offsets.
   */
  public Optional<String> committedOffsets() {
    try (Connection connection = database.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT end_offsets::text, count(*) OVER () FROM pipeline_batches WHERE pipeline = ? AND query = ?"
                    + " ORDER BY seq DESC LIMIT 1")) {
      select.setString(1, pipeline);
      select.setString(2, query);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        String offsets = row.getString(1);
        if (offsets == null) {
          throw new PermanentFailure(
              "query "
                  + query
                  + " has no checkpoint, and the ledger holds "
                  + row.getLong(2)
                  + " batches committed before Sluice recorded offsets: restore the checkpoint, or"
                  + " start over by deleting the pipeline's results and its rows in pipeline_batches");
        }
        return Optional.of(offsets);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }

  /** Whether the query has committed any batch, in any checkpoint. */
  public boolean hasCommitted() {
    try (Connection connection = database.connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT 1 FROM pipeline_batches WHERE pipeline = ? AND query = ? LIMIT 1")) {
      select.setString(1, pipeline);
      select.setString(2, query);
      try (ResultSet row = select.executeQuery()) {
        return row.next();
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the batch ledger: " + e.getMessage(), e);
    }
  }
}
