package dev.sluice.spark.stream;

import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.apache.spark.sql.Row;

/**
 * One upsert per record into PostgreSQL, on a connection of its own per task and epoch, in
 * auto-commit: each record's row is durable once written. The statement must be keyed by what
 * identifies the record (its Kafka coordinates), so a replay writes the same row again.
 */
final class JdbcRecordSink implements RecordSink {
  private final Connection connection;
  private final PreparedStatement upsert;
  private final ExecutorJdbcWriter.RowBinder binder;

  private JdbcRecordSink(
      Connection connection, PreparedStatement upsert, ExecutorJdbcWriter.RowBinder binder) {
    this.connection = connection;
    this.upsert = upsert;
    this.binder = binder;
  }

  /**
   * The factory of such sinks for {@code upsertSql}, with {@code binder} setting its parameters.
   */
  static RecordSink.Factory factory(
      Database database, String upsertSql, ExecutorJdbcWriter.RowBinder binder) {
    return (partitionId, epochId) -> {
      Connection connection = null;
      try {
        connection = database.connect();
        return new JdbcRecordSink(connection, connection.prepareStatement(upsertSql), binder);
      } catch (SQLException e) {
        Database.closeQuietly(connection);
        throw new IllegalStateException("cannot connect to the database: " + e.getMessage(), e);
      }
    };
  }

  @Override
  public void write(Row row) throws SQLException {
    binder.bind(upsert, row);
    upsert.executeUpdate();
  }

  @Override
  public void close() {
    Database.closeQuietly(connection);
  }
}
