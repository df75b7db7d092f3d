package dev.sluice.server.reviews;

import dev.sluice.core.reviews.ReviewsDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queries behind the reviews endpoints and live updates, on the tables the reviews pipeline
 * writes (see {@code V1__reviews.sql}). Every method takes the connection to use, so the REST
 * endpoints run them on the pool and the live updates on the listener's own connection.
 */
final class ReviewsQueries {
  private ReviewsQueries() {}

  record WordCount(String word, long count) {}

  record Prediction(
      String id,
      String excerpt,
      String predicted,
      double probability,
      String truth,
      Integer score,
      long batchId,
      String kafkaTs,
      int partition,
      long offset) {}

  record AccuracyPoint(
      long batchId, long reviews, long total, long correct, Double accuracy, String committedAt) {}

  private static final String PREDICTION_COLUMNS =
      "id, excerpt, predicted, probability, truth, score, batch_id, kafka_ts, kafka_partition, kafka_offset";

  /** The most frequent words, most frequent first; ties in alphabetical order. */
  static List<WordCount> topWords(Connection c, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT word, count FROM word_counts ORDER BY count DESC, word LIMIT ?")) {
      s.setInt(1, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<WordCount> words = new ArrayList<>(limit);
        while (rs.next()) {
          words.add(new WordCount(rs.getString(1), rs.getLong(2)));
        }
        return words;
      }
    }
  }

  /**
   * The highest batch id (ledger seq) a pipeline has committed, -1 before its first; one parameter:
   * the pipeline.
   */
  private static final String LAST_COMMITTED_BATCH =
      "SELECT coalesce(max(seq), -1) FROM pipeline_batches WHERE pipeline = ?";

  /** The highest batch id the reviews pipeline has committed, or -1 before its first batch. */
  static long lastCommittedBatch(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(LAST_COMMITTED_BATCH)) {
      s.setString(1, ReviewsDefinition.NAME);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /**
   * Whether a prediction row's batch is in the ledger; one parameter: the pipeline. A row's batch
   * id below the highest committed one is not enough: executors write their rows before the ledger
   * commits the batch, and a batch that failed there leaves rows the ledger never had.
   */
  private static final String IN_LEDGER =
      "EXISTS (SELECT 1 FROM pipeline_batches b WHERE b.pipeline = ? AND b.seq = predictions.batch_id)";

  /**
   * The newest predictions of committed batches with ids in {@code (afterBatch, upToBatch]}, newest
   * first. Bounded by the ledger so a batch still being written is never shown half done.
   */
  static List<Prediction> latestPredictions(
      Connection c, long afterBatch, long upToBatch, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + PREDICTION_COLUMNS
                + " FROM predictions WHERE batch_id > ? AND batch_id <= ? AND "
                + IN_LEDGER
                + " ORDER BY batch_id DESC, kafka_ts DESC, kafka_partition DESC, kafka_offset DESC LIMIT ?")) {
      s.setLong(1, afterBatch);
      s.setLong(2, upToBatch);
      s.setString(3, ReviewsDefinition.NAME);
      s.setInt(4, limit);
      return predictions(s);
    }
  }

  /** The newest predictions of committed batches, newest first. */
  static List<Prediction> latestPredictions(Connection c, int limit) throws SQLException {
    return latestPredictions(c, -1, lastCommittedBatch(c), limit);
  }

  /**
   * The prediction for a review id (the newest, should the id have been posted twice), from a
   * committed batch only: a batch still being written may yet be rolled back and replayed.
   */
  static Optional<Prediction> prediction(Connection c, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + PREDICTION_COLUMNS
                + " FROM predictions WHERE id = ? AND "
                + IN_LEDGER
                + " ORDER BY batch_id DESC, kafka_ts DESC LIMIT 1")) {
      s.setString(1, id);
      s.setString(2, ReviewsDefinition.NAME);
      return predictions(s).stream().findFirst();
    }
  }

  private static List<Prediction> predictions(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      List<Prediction> rows = new ArrayList<>();
      while (rs.next()) {
        int score = rs.getInt(6);
        Integer scoreOrNull = rs.wasNull() ? null : score;
        rows.add(
            new Prediction(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getDouble(4),
                rs.getString(5),
                scoreOrNull,
                rs.getLong(7),
                iso(rs.getTimestamp(8)),
                rs.getInt(9),
                rs.getLong(10)));
      }
      return rows;
    }
  }

  /** The newest accuracy points, in batch order (oldest first, for a chart). */
  static List<AccuracyPoint> accuracy(Connection c, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT * FROM (SELECT batch_id, reviews, total, correct, accuracy, committed_at FROM accuracy"
                + " ORDER BY batch_id DESC LIMIT ?) newest ORDER BY batch_id")) {
      s.setInt(1, limit);
      return accuracyPoints(s);
    }
  }

  /** The accuracy points of batches in {@code (afterBatch, upToBatch]}, in batch order. */
  static List<AccuracyPoint> accuracySince(Connection c, long afterBatch, long upToBatch, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT * FROM (SELECT batch_id, reviews, total, correct, accuracy, committed_at FROM accuracy"
                + " WHERE batch_id > ? AND batch_id <= ? ORDER BY batch_id DESC LIMIT ?) newest ORDER BY batch_id")) {
      s.setLong(1, afterBatch);
      s.setLong(2, upToBatch);
      s.setInt(3, limit);
      return accuracyPoints(s);
    }
  }

  private static List<AccuracyPoint> accuracyPoints(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      List<AccuracyPoint> rows = new ArrayList<>();
      while (rs.next()) {
        Double accuracyOrNull = nullableDouble(rs, 5);
        rows.add(
            new AccuracyPoint(
                rs.getLong(1),
                rs.getLong(2),
                rs.getLong(3),
                rs.getLong(4),
                accuracyOrNull,
                iso(rs.getTimestamp(6))));
      }
      return rows;
    }
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
