package dev.sluice.spark.reviews;

import dev.sluice.spark.stream.BatchLedger;
import dev.sluice.spark.stream.BatchSink;
import dev.sluice.spark.stream.ExecutorJdbcWriter;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the reviews pipeline's results to PostgreSQL, exactly once.
 *
 * <p>Per-record rows (predictions, quarantine) are upserts keyed by Kafka coordinates, written by
 * the executors in parallel: writing them again after a crash changes nothing. The batch's word
 * counts are staged by the executors under the batch id, then folded into the cumulative {@code
 * word_counts} together with the accuracy row in the transaction that records the batch in the
 * {@link BatchLedger}: a replayed batch finds itself recorded and adds nothing twice.
 */
public final class PostgresReviewsSink implements BatchSink<ReviewsBatch> {
  private static final Logger log = LoggerFactory.getLogger(PostgresReviewsSink.class);

  static final String UPSERT_PREDICTION =
      "INSERT INTO predictions (topic, kafka_partition, kafka_offset, id, batch_id, excerpt, predicted, probability, truth, score, kafka_ts)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET id = EXCLUDED.id, batch_id = EXCLUDED.batch_id,"
          + " excerpt = EXCLUDED.excerpt, predicted = EXCLUDED.predicted, probability = EXCLUDED.probability,"
          + " truth = EXCLUDED.truth, score = EXCLUDED.score, kafka_ts = EXCLUDED.kafka_ts";
  static final String UPSERT_QUARANTINE =
      "INSERT INTO quarantine (topic, kafka_partition, kafka_offset, pipeline, batch_id, reason, raw_prefix, raw_length, kafka_ts)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET batch_id = EXCLUDED.batch_id, reason = EXCLUDED.reason,"
          + " raw_prefix = EXCLUDED.raw_prefix, raw_length = EXCLUDED.raw_length, kafka_ts = EXCLUDED.kafka_ts";
  static final String UPSERT_WORD_DELTA =
      "INSERT INTO word_count_deltas (batch_id, word, count) VALUES (?, ?, ?)"
          + " ON CONFLICT (batch_id, word) DO UPDATE SET count = EXCLUDED.count";
  static final String FOLD_WORD_DELTAS =
      "INSERT INTO word_counts (word, count) SELECT word, count FROM word_count_deltas WHERE batch_id = ?"
          + " ON CONFLICT (word) DO UPDATE SET count = word_counts.count + EXCLUDED.count";

  private final Database database;
  private final BatchLedger ledger;

  public PostgresReviewsSink(Database database) {
    this.database = database;
    this.ledger = new BatchLedger(database, ReviewsPipeline.NAME);
  }

  @Override
  public void write(long batchId, ReviewsBatch batch) {
    if (ledger.isCommitted(batchId)) {
      log.info("batch {} is already committed; replay skipped", batchId);
      return;
    }
    Instant started = Instant.now();
    ExecutorJdbcWriter.write(
        batch.quarantine(),
        database,
        UPSERT_QUARANTINE,
        (statement, row) -> {
          statement.setString(1, row.getString(0));
          statement.setInt(2, row.getInt(1));
          statement.setLong(3, row.getLong(2));
          statement.setString(4, ReviewsPipeline.NAME);
          statement.setLong(5, batchId);
          statement.setString(6, row.getString(3));
          statement.setBytes(7, (byte[]) row.get(4));
          statement.setInt(8, row.getInt(5));
          statement.setTimestamp(9, row.getTimestamp(6));
        });
    ExecutorJdbcWriter.write(
        batch.predictions(),
        database,
        UPSERT_PREDICTION,
        (statement, row) -> {
          statement.setString(1, row.getString(0));
          statement.setInt(2, row.getInt(1));
          statement.setLong(3, row.getLong(2));
          statement.setString(4, row.getString(3));
          statement.setLong(5, batchId);
          statement.setString(6, row.getString(4));
          statement.setString(7, row.getString(5));
          statement.setDouble(8, row.getDouble(6));
          statement.setString(9, row.getString(7));
          if (row.isNullAt(8)) {
            statement.setNull(10, Types.SMALLINT);
          } else {
            statement.setShort(10, (short) row.getInt(8));
          }
          statement.setTimestamp(11, row.getTimestamp(9));
        });
    clearStagedWordCounts(batchId);
    ExecutorJdbcWriter.write(
        batch.wordCounts(),
        database,
        UPSERT_WORD_DELTA,
        (statement, row) -> {
          statement.setLong(1, batchId);
          statement.setString(2, row.getString(0));
          statement.setLong(3, row.getLong(1));
        });
    ReviewsBatch.Totals totals = batch.totals();
    boolean committed =
        ledger.commitOnce(
            batchId,
            new BatchLedger.BatchCounts(totals.records(), totals.quarantined()),
            started,
            connection -> {
              foldWordCounts(connection, batchId);
              appendAccuracy(connection, batchId, totals);
            });
    if (committed && totals.quarantined() > 0) {
      log.warn("batch {}: {} of {} records quarantined (see table quarantine)", batchId, totals.quarantined(), totals.records());
    }
  }

  /** Removes what an interrupted attempt at this batch staged, so the retry stages exactly its own counts. */
  private void clearStagedWordCounts(long batchId) {
    try (Connection connection = database.connect();
        PreparedStatement delete = connection.prepareStatement("DELETE FROM word_count_deltas WHERE batch_id = ?")) {
      delete.setLong(1, batchId);
      delete.executeUpdate();
    } catch (SQLException e) {
      throw new IllegalStateException("cannot clear staged word counts of batch " + batchId + ": " + e.getMessage(), e);
    }
  }

  static void foldWordCounts(Connection connection, long batchId) throws SQLException {
    try (PreparedStatement fold = connection.prepareStatement(FOLD_WORD_DELTAS);
        PreparedStatement delete = connection.prepareStatement("DELETE FROM word_count_deltas WHERE batch_id = ?")) {
      fold.setLong(1, batchId);
      fold.executeUpdate();
      delete.setLong(1, batchId);
      delete.executeUpdate();
    }
  }

  static void appendAccuracy(Connection connection, long batchId, ReviewsBatch.Totals totals) throws SQLException {
    long reviews = 0;
    long total = 0;
    long correct = 0;
    try (PreparedStatement previous =
            connection.prepareStatement("SELECT reviews, total, correct FROM accuracy WHERE batch_id < ? ORDER BY batch_id DESC LIMIT 1");) {
      previous.setLong(1, batchId);
      try (ResultSet row = previous.executeQuery()) {
        if (row.next()) {
          reviews = row.getLong(1);
          total = row.getLong(2);
          correct = row.getLong(3);
        }
      }
    }
    reviews += totals.reviews();
    total += totals.withTruth();
    correct += totals.correct();
    try (PreparedStatement insert =
        connection.prepareStatement("INSERT INTO accuracy (batch_id, reviews, total, correct, accuracy) VALUES (?, ?, ?, ?, ?)")) {
      insert.setLong(1, batchId);
      insert.setLong(2, reviews);
      insert.setLong(3, total);
      insert.setLong(4, correct);
      if (total == 0) {
        insert.setNull(5, Types.DOUBLE);
      } else {
        insert.setDouble(5, (double) correct / total);
      }
      insert.executeUpdate();
    }
  }
}
