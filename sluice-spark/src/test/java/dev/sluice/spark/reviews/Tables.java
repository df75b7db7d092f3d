package dev.sluice.spark.reviews;

import dev.sluice.spark.testing.TableRows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/**
 * The reviews pipeline's results as plain rows, in a fixed order, so two runs can be compared table
 * by table. Times of day (commit times, run times) are left out: they differ between runs.
 */
record Tables(
    List<String> wordCounts,
    List<String> predictions,
    List<String> quarantine,
    List<String> accuracy,
    List<String> batches) {

  static Tables read(Connection connection) throws SQLException {
    return new Tables(
        TableRows.rows(connection, "SELECT word, count FROM word_counts ORDER BY word"),
        TableRows.rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, id, batch_id, excerpt, predicted, probability, truth, score, kafka_ts"
                + " FROM predictions ORDER BY topic, kafka_partition, kafka_offset"),
        TableRows.rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, batch_id, reason, raw_prefix, raw_length FROM quarantine"
                + " ORDER BY topic, kafka_partition, kafka_offset"),
        TableRows.rows(
            connection,
            "SELECT batch_id, reviews, total, correct, accuracy FROM accuracy ORDER BY batch_id"),
        TableRows.rows(
            connection,
            "SELECT pipeline, query, batch_id, seq, end_offsets, records, quarantined FROM pipeline_batches ORDER BY pipeline, query, seq"));
  }
}
