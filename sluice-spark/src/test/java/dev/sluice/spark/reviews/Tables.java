package dev.sluice.spark.reviews;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The reviews pipeline's results as plain rows, in a fixed order, so two runs can be compared
 * table by table. Times of day (commit times, run times) are left out: they differ between runs.
 */
record Tables(List<String> wordCounts, List<String> predictions, List<String> quarantine, List<String> accuracy, List<String> batches) {

  static Tables read(Connection connection) throws SQLException {
    return new Tables(
        rows(connection, "SELECT word, count FROM word_counts ORDER BY word"),
        rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, id, batch_id, excerpt, predicted, probability, truth, score, kafka_ts"
                + " FROM predictions ORDER BY topic, kafka_partition, kafka_offset"),
        rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, batch_id, reason, raw_prefix, raw_length FROM quarantine"
                + " ORDER BY topic, kafka_partition, kafka_offset"),
        rows(connection, "SELECT batch_id, reviews, total, correct, accuracy FROM accuracy ORDER BY batch_id"),
        rows(connection, "SELECT pipeline, batch_id, records, quarantined FROM pipeline_batches ORDER BY pipeline, batch_id"));
  }

  static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  private static List<String> rows(Connection connection, String sql) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement statement = connection.createStatement();
        ResultSet result = statement.executeQuery(sql)) {
      ResultSetMetaData meta = result.getMetaData();
      while (result.next()) {
        StringBuilder row = new StringBuilder();
        for (int i = 1; i <= meta.getColumnCount(); i++) {
          row.append(i == 1 ? "" : " | ").append(result.getString(i));
        }
        rows.add(row.toString());
      }
    }
    return rows;
  }
}
