package dev.sluice.spark.reviews;

import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.stream.BatchLedger;
import dev.sluice.spark.stream.ExecutorJdbcWriter;
import dev.sluice.spark.stream.LedgeredSink;
import dev.sluice.spark.stream.QuarantineWriter;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Writes the reviews pipeline's results to PostgreSQL, exactly once, in the platform's {@link
 * LedgeredSink} way.
 *
 * <p>Per-record rows (predictions, quarantine) are upserts keyed by Kafka coordinates, written by
 * the executors in parallel. The batch's word counts, aggregated by the executors, are streamed to
 * the driver a partition at a time and added to the cumulative {@code word_counts}, in chunks of
 * array upserts, together with the accuracy row in the transaction that records the batch in the
 * {@link BatchLedger}. Rows name the batch by its ledger seq, which grows across checkpoints.
 */
public final class PostgresReviewsSink extends LedgeredSink<ReviewsBatch, ReviewsBatch.Totals> {
  static final String UPSERT_PREDICTION =
      "INSERT INTO predictions (topic, kafka_partition, kafka_offset, id, batch_id, excerpt, predicted, probability, truth, score, kafka_ts)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (topic, kafka_partition, kafka_offset) DO UPDATE SET id = EXCLUDED.id, batch_id = EXCLUDED.batch_id,"
          + " excerpt = EXCLUDED.excerpt, predicted = EXCLUDED.predicted, probability = EXCLUDED.probability,"
          + " truth = EXCLUDED.truth, score = EXCLUDED.score, kafka_ts = EXCLUDED.kafka_ts";

  /** Sorted, so the upsert walks the word index in order (measured: a quarter faster). */
  static final String FOLD_WORD_COUNTS =
      "INSERT INTO word_counts (word, count) SELECT * FROM unnest(?::text[], ?::bigint[]) AS t(word, count) ORDER BY word"
          + " ON CONFLICT (word) DO UPDATE SET count = word_counts.count + EXCLUDED.count";

  /** Words per upsert: large enough to amortize the round trip, small enough to bound memory. */
  static final int FOLD_CHUNK = 20_000;

  private final Database database;

  public PostgresReviewsSink(Database database, BatchLedger ledger) {
    super(ledger);
    this.database = database;
  }

  @Override
  protected List<Runnable> perRecordWrites(long seq, ReviewsBatch batch) {
    return List.of(
        () -> QuarantineWriter.write(batch.quarantine(), database, ReviewsDefinition.NAME, seq),
        () -> writePredictions(seq, batch));
  }

  @Override
  protected ReviewsBatch.Totals totals(ReviewsBatch batch) {
    return batch.totals();
  }

  @Override
  protected BatchLedger.BatchCounts counts(ReviewsBatch.Totals totals) {
    return new BatchLedger.BatchCounts(totals.records(), totals.quarantined());
  }

  @Override
  protected void applyCumulative(
      Connection connection, long seq, ReviewsBatch batch, ReviewsBatch.Totals totals)
      throws SQLException {
    foldWordCounts(connection, batch.wordCounts().toLocalIterator());
    appendAccuracy(connection, seq, totals);
  }

  private void writePredictions(long batchId, ReviewsBatch batch) {
    ExecutorJdbcWriter.writeIsolating(
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
        },
        new ExecutorJdbcWriter.Isolation(ReviewsDefinition.NAME, batchId));
  }

  /** Adds (word, count) rows, distinct words, to {@code word_counts}. */
  static void foldWordCounts(Connection connection, Iterator<Row> counts) throws SQLException {
    try (PreparedStatement fold = connection.prepareStatement(FOLD_WORD_COUNTS)) {
      List<String> words = new ArrayList<>(FOLD_CHUNK);
      List<Long> occurrences = new ArrayList<>(FOLD_CHUNK);
      while (counts.hasNext()) {
        Row row = counts.next();
        words.add(row.getString(0));
        occurrences.add(row.getLong(1));
        if (words.size() == FOLD_CHUNK || !counts.hasNext()) {
          fold.setArray(1, connection.createArrayOf("text", words.toArray()));
          fold.setArray(2, connection.createArrayOf("bigint", occurrences.toArray()));
          fold.executeUpdate();
          words.clear();
          occurrences.clear();
        }
      }
    }
  }

  static void appendAccuracy(Connection connection, long batchId, ReviewsBatch.Totals totals)
      throws SQLException {
    long reviews = 0;
    long total = 0;
    long correct = 0;
    try (PreparedStatement previous =
        connection.prepareStatement(
            "SELECT reviews, total, correct FROM accuracy WHERE batch_id < ? ORDER BY batch_id DESC LIMIT 1"); ) {
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
        connection.prepareStatement(
            "INSERT INTO accuracy (batch_id, reviews, total, correct, accuracy) VALUES (?, ?, ?, ?, ?)")) {
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
