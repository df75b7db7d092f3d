package dev.sluice.spark.stream;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The real-time shape's sink: each record is written as it arrives, by the long-running task that
 * read it, one upsert per record keyed by its Kafka coordinates; rejected records go to quarantine.
 * Real-time mode commits offsets at the end of its long batches and replays from the last commit
 * after a failure, so writes must be idempotent: a replayed record writes the same row again.
 */
final class RealTimeWriter extends ForeachWriter<Row> {
  private final Database database;
  private final String pipeline;
  private final String upsertSql;
  private final ExecutorJdbcWriter.RowBinder binder;
  private final int reason;
  private transient Connection connection;
  private transient PreparedStatement upsert;
  private transient PreparedStatement quarantine;
  private transient long epoch;

  /**
   * @param schema the rows' schema: {@link DecodeOrQuarantine#decode}'s columns and the pipeline's
   */
  RealTimeWriter(
      Database database,
      String pipeline,
      String upsertSql,
      ExecutorJdbcWriter.RowBinder binder,
      StructType schema) {
    this.database = database;
    this.pipeline = pipeline;
    this.upsertSql = upsertSql;
    this.binder = binder;
    this.reason = schema.fieldIndex(DecodeOrQuarantine.REASON);
  }

  @Override
  public boolean open(long partitionId, long epochId) {
    epoch = epochId;
    try {
      connection = database.connect();
      upsert = connection.prepareStatement(upsertSql);
      quarantine = connection.prepareStatement(QuarantineWriter.UPSERT);
      return true;
    } catch (SQLException e) {
      close(e);
      throw new IllegalStateException("cannot connect to the database: " + e.getMessage(), e);
    }
  }

  @Override
  public void process(Row row) {
    try {
      if (row.isNullAt(reason)) {
        binder.bind(upsert, row);
        upsert.executeUpdate();
      } else {
        quarantine.setString(1, pipeline);
        quarantine.setString(2, row.getString(row.fieldIndex("topic")));
        quarantine.setInt(3, row.getInt(row.fieldIndex("partition")));
        quarantine.setLong(4, row.getLong(row.fieldIndex("offset")));
        quarantine.setLong(5, epoch);
        quarantine.setString(6, row.getString(reason));
        quarantine.setBytes(7, (byte[]) row.get(row.fieldIndex("raw_prefix")));
        quarantine.setInt(8, row.getInt(row.fieldIndex("raw_length")));
        quarantine.setTimestamp(9, row.getTimestamp(row.fieldIndex("kafka_ts")));
        quarantine.executeUpdate();
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot write a record of " + pipeline + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close(Throwable error) {
    Database.closeQuietly(connection);
    connection = null;
  }
}
