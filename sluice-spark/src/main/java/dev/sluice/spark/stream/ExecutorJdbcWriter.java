package dev.sluice.spark.stream;

import dev.sluice.store.Database;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Iterator;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes the rows of a dataset from the executors, one connection and one transaction per
 * partition, in parallel; nothing passes through the driver. Statements must be idempotent (upserts
 * keyed by the record's Kafka coordinates or the batch id), because Spark retries failed tasks and
 * replays an interrupted batch.
 */
public final class ExecutorJdbcWriter {
  private static final int ROWS_PER_ROUND_TRIP = 1000;

  private ExecutorJdbcWriter() {}

  /** Binds one row to the statement's parameters. Runs on executors, so it must be serializable. */
  @FunctionalInterface
  public interface RowBinder extends Serializable {
    void bind(PreparedStatement statement, Row row) throws SQLException;
  }

  public static void write(Dataset<Row> rows, Database database, String sql, RowBinder binder) {
    rows.foreachPartition(
        (ForeachPartitionFunction<Row>)
            partition -> writePartition(partition, database, sql, binder));
  }

  static void writePartition(
      Iterator<Row> partition, Database database, String sql, RowBinder binder)
      throws SQLException {
    if (!partition.hasNext()) {
      return;
    }
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        int pending = 0;
        while (partition.hasNext()) {
          binder.bind(statement, partition.next());
          statement.addBatch();
          if (++pending == ROWS_PER_ROUND_TRIP) {
            statement.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          statement.executeBatch();
        }
      }
      connection.commit();
    }
  }
}
