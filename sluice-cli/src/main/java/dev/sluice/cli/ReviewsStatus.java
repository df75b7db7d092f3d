package dev.sluice.cli;

import dev.sluice.core.Topics;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The reviews pipeline at a glance, as the demo prints it every few seconds.
 *
 * @param recordsIn records ever written to the topic
 * @param processed records the pipeline has committed, quarantined ones included
 * @param quarantined records rejected as malformed
 * @param withTruth reviews with a ground truth so far
 * @param accuracy cumulative accuracy, or {@code null} before the first review with a ground truth
 * @param topWords the most frequent words, most frequent first
 */
record ReviewsStatus(long recordsIn, long processed, long quarantined, long withTruth, Double accuracy, List<String> topWords) {

  long lag() {
    return Math.max(0, recordsIn - processed);
  }

  String line() {
    String acc = accuracy == null ? "n/a" : String.format(Locale.ROOT, "%.3f of %,d", accuracy, withTruth);
    return String.format(
        Locale.ROOT,
        "reviews | in %,d | processed %,d | lag %,d | quarantined %,d | accuracy %s | top: %s",
        recordsIn,
        processed,
        lag(),
        quarantined,
        acc,
        topWords.isEmpty() ? "-" : String.join(", ", topWords));
  }

  static ReviewsStatus read(Database database, KafkaTopics topics) throws SQLException {
    long recordsIn = topics.endOffsetSum(Topics.REVIEWS);
    try (Connection connection = database.connect()) {
      long processed = 0;
      long quarantined = 0;
      try (PreparedStatement statement =
              connection.prepareStatement(
                  "SELECT coalesce(sum(records), 0), coalesce(sum(quarantined), 0) FROM pipeline_batches WHERE pipeline = ?");) {
        statement.setString(1, "reviews");
        try (ResultSet row = statement.executeQuery()) {
          row.next();
          processed = row.getLong(1);
          quarantined = row.getLong(2);
        }
      }
      long withTruth = 0;
      Double accuracy = null;
      try (PreparedStatement statement =
              connection.prepareStatement("SELECT total, accuracy FROM accuracy ORDER BY batch_id DESC LIMIT 1");
          ResultSet row = statement.executeQuery()) {
        if (row.next()) {
          withTruth = row.getLong(1);
          double value = row.getDouble(2);
          accuracy = row.wasNull() ? null : value;
        }
      }
      List<String> top = new ArrayList<>();
      try (PreparedStatement statement =
              connection.prepareStatement("SELECT word FROM word_counts ORDER BY count DESC, word LIMIT 5");
          ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          top.add(rows.getString(1));
        }
      }
      return new ReviewsStatus(recordsIn, processed, quarantined, withTruth, accuracy, top);
    }
  }
}
