package dev.sluice.spark.stream;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

/**
 * The real-time shape's writer: each record is written as it arrives, by the long-running task that
 * read it, to the pipeline's {@link RecordSink}; rejected records go to quarantine in PostgreSQL,
 * keyed by their Kafka coordinates. Real-time mode commits offsets at the end of its long batches
 * and replays from the last commit after a failure, so writes must be idempotent: a replayed record
 * writes the same result again. The sink is closed at the end of each epoch, before Spark may
 * checkpoint it; a sink that cannot deliver fails the task there, and the epoch is replayed.
 */
final class RealTimeWriter extends ForeachWriter<Row> {
  private final Database database;
  private final String pipeline;
  private final RecordSink.Factory sinks;
  private final int reason;
  private transient RecordSink sink;
  private transient Connection connection;
  private transient PreparedStatement quarantine;
  private transient long epoch;

  /**
   * @param schema the rows' schema: {@link DecodeOrQuarantine#decode}'s columns and the pipeline's
   */
  RealTimeWriter(Database database, String pipeline, RecordSink.Factory sinks, StructType schema) {
    this.database = database;
    this.pipeline = pipeline;
    this.sinks = sinks;
    this.reason = schema.fieldIndex(DecodeOrQuarantine.REASON);
  }

  @Override
  public boolean open(long partitionId, long epochId) {
    epoch = epochId;
    try {
      sink = sinks.open(partitionId, epochId);
      return true;
    } catch (Exception e) {
      throw failure("cannot open the sink of " + pipeline, e);
    }
  }

  @Override
  public void process(Row row) {
    try {
      if (row.isNullAt(reason)) {
        sink.write(row);
      } else {
        quarantine(row);
      }
    } catch (Exception e) {
      throw failure("cannot write a record of " + pipeline, e);
    }
  }

  private void quarantine(Row row) throws SQLException {
    if (connection == null) {
      connection = database.connect();
      quarantine = connection.prepareStatement(QuarantineWriter.UPSERT);
    }
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

  @Override
  public void close(Throwable error) {
    Database.closeQuietly(connection);
    connection = null;
    RecordSink closing = sink;
    sink = null;
    if (closing == null) {
      return;
    }
    try {
      closing.close();
    } catch (Exception e) {
      if (error == null) {
        // Thrown here, the task fails and the epoch is not committed: it is replayed.
        throw failure("cannot finish the epoch's writes of " + pipeline, e);
      }
      error.addSuppressed(e);
    }
  }

  private static IllegalStateException failure(String what, Exception e) {
    return new IllegalStateException(what + ": " + e.getMessage(), e);
  }
}
