package dev.sluice.spark.stream;

import dev.sluice.store.Database;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Stores a batch's rejected records in {@code quarantine}, from the executors, as upserts keyed by
 * pipeline and Kafka coordinates: a replayed batch writes the same rows again and changes nothing.
 */
public final class QuarantineWriter {
  static final String UPSERT =
      "INSERT INTO quarantine (pipeline, topic, kafka_partition, kafka_offset, batch_id, reason, raw_prefix, raw_length, kafka_ts)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (pipeline, topic, kafka_partition, kafka_offset) DO UPDATE SET batch_id = EXCLUDED.batch_id,"
          + " reason = EXCLUDED.reason, raw_prefix = EXCLUDED.raw_prefix, raw_length = EXCLUDED.raw_length,"
          + " kafka_ts = EXCLUDED.kafka_ts";

  private QuarantineWriter() {}

  /**
   * @param rejected rows of {@link DecodeOrQuarantine#rejected}, in its column order
   * @param seq the batch's ledger seq
   */
  public static void write(Dataset<Row> rejected, Database database, String pipeline, long seq) {
    ExecutorJdbcWriter.write(
        rejected,
        database,
        UPSERT,
        (statement, row) -> {
          statement.setString(1, pipeline);
          statement.setString(2, row.getString(0));
          statement.setInt(3, row.getInt(1));
          statement.setLong(4, row.getLong(2));
          statement.setLong(5, seq);
          statement.setString(6, row.getString(3));
          statement.setBytes(7, (byte[]) row.get(4));
          statement.setInt(8, row.getInt(5));
          statement.setTimestamp(9, row.getTimestamp(6));
        });
  }
}
