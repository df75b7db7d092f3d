package dev.sluice.spark.stream;

import dev.sluice.core.records.StorableText;
import dev.sluice.store.Database;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Writes the rows of a dataset from the executors, one connection and one transaction per
 * partition, in parallel; nothing passes through the driver. Statements must be idempotent (upserts
 * keyed by the record's Kafka coordinates or the batch id), because Spark retries failed tasks and
 * replays an interrupted batch.
 *
 * <p>Per-record rows are written {@link #writeIsolating isolating} what the store refuses: when a
 * round trip fails on a value (a PostgreSQL data or constraint error), its rows are written one by
 * one and each refused row goes to quarantine with the store's reason, so one record that got past
 * its decoder cannot fail its batch on every replay.
 */
public final class ExecutorJdbcWriter {
  private static final int ROWS_PER_ROUND_TRIP = 1000;

  private ExecutorJdbcWriter() {}

  /** Binds one row to the statement's parameters. Runs on executors, so it must be serializable. */
  @FunctionalInterface
  public interface RowBinder extends Serializable {
    void bind(PreparedStatement statement, Row row) throws SQLException;
  }

  /**
   * Where rows the store refuses go: quarantine rows of {@code pipeline}'s batch {@code seq}. The
   * rows written must have the columns {@code topic}, {@code partition}, {@code offset} and {@code
   * kafka_ts} of their record.
   */
  public record Isolation(String pipeline, long seq) implements Serializable {}

  public static void write(Dataset<Row> rows, Database database, String sql, RowBinder binder) {
    rows.foreachPartition(
        (ForeachPartitionFunction<Row>)
            partition -> writePartition(partition, database, sql, binder, null));
  }

  /** Like {@link #write}, quarantining each row the store refuses instead of failing the batch. */
  public static void writeIsolating(
      Dataset<Row> rows, Database database, String sql, RowBinder binder, Isolation isolation) {
    rows.foreachPartition(
        (ForeachPartitionFunction<Row>)
            partition -> writePartition(partition, database, sql, binder, isolation));
  }

  /** Returns how many rows went to quarantine instead. */
  static int writePartition(
      Iterator<Row> partition, Database database, String sql, RowBinder binder, Isolation isolation)
      throws SQLException {
    if (!partition.hasNext()) {
      return 0;
    }
    int quarantined = 0;
    try (Connection connection = database.connect()) {
      connection.setAutoCommit(false);
      try (PreparedStatement statement = connection.prepareStatement(sql)) {
        // The rows of the round trip under way, kept to write them one by one if it fails.
        List<Row> chunk = isolation == null ? null : new ArrayList<>(ROWS_PER_ROUND_TRIP);
        int pending = 0;
        while (partition.hasNext()) {
          Row row = partition.next();
          binder.bind(statement, row);
          statement.addBatch();
          if (chunk != null) {
            chunk.add(row);
          }
          if (++pending == ROWS_PER_ROUND_TRIP) {
            quarantined += execute(connection, statement, binder, isolation, chunk);
            pending = 0;
          }
        }
        if (pending > 0) {
          quarantined += execute(connection, statement, binder, isolation, chunk);
        }
      }
      connection.commit();
    }
    return quarantined;
  }

  private static int execute(
      Connection connection,
      PreparedStatement statement,
      RowBinder binder,
      Isolation isolation,
      List<Row> chunk)
      throws SQLException {
    if (isolation == null) {
      statement.executeBatch();
      return 0;
    }
    Savepoint beforeChunk = connection.setSavepoint();
    try {
      statement.executeBatch();
      connection.releaseSavepoint(beforeChunk);
      chunk.clear();
      return 0;
    } catch (SQLException e) {
      if (!refusedValue(e)) {
        throw e;
      }
      connection.rollback(beforeChunk);
      statement.clearBatch();
    }
    int quarantined = 0;
    for (Row row : chunk) {
      Savepoint beforeRow = connection.setSavepoint();
      try {
        binder.bind(statement, row);
        statement.executeUpdate();
        connection.releaseSavepoint(beforeRow);
      } catch (SQLException e) {
        if (!refusedValue(e)) {
          throw e;
        }
        connection.rollback(beforeRow);
        quarantine(connection, isolation, row, e);
        quarantined++;
      }
    }
    chunk.clear();
    return quarantined;
  }

  /** A data exception (class 22) or a constraint violation (23): the value, not the store. */
  static boolean refusedValue(SQLException e) {
    for (SQLException next = e; next != null; next = next.getNextException()) {
      String state = next.getSQLState();
      if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
        return true;
      }
    }
    return false;
  }

  private static void quarantine(
      Connection connection, Isolation isolation, Row row, SQLException e) throws SQLException {
    String message = e.getMessage() == null ? e.getSQLState() : e.getMessage();
    // The record's bytes are gone by now; its decoded fields say what it was.
    byte[] fields = row.mkString("[", ", ", "]").getBytes(StandardCharsets.UTF_8);
    try (PreparedStatement insert = connection.prepareStatement(QuarantineWriter.UPSERT)) {
      insert.setString(1, isolation.pipeline());
      insert.setString(2, row.getString(row.fieldIndex("topic")));
      insert.setInt(3, row.getInt(row.fieldIndex("partition")));
      insert.setLong(4, row.getLong(row.fieldIndex("offset")));
      insert.setLong(5, isolation.seq());
      insert.setString(
          6,
          StorableText.replaceUnstorable(
              "the store refused it: " + message.lines().findFirst().orElse("").strip()));
      insert.setBytes(
          7, Arrays.copyOf(fields, Math.min(fields.length, DecodeOrQuarantine.RAW_PREFIX_BYTES)));
      insert.setInt(8, fields.length);
      insert.setTimestamp(9, row.getTimestamp(row.fieldIndex("kafka_ts")));
      insert.executeUpdate();
    }
  }
}
