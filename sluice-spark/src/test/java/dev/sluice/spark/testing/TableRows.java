package dev.sluice.spark.testing;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Query results as plain rows ({@code a | b | c}), so two runs' tables compare as lists. */
public final class TableRows {
  private TableRows() {}

  public static List<String> rows(Connection connection, String sql) throws SQLException {
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

  /** The first column of the first row of a query that returns a number. */
  public static long count(Connection connection, String sql) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(sql)) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /**
   * The platform's rows of one pipeline, times of day left out (they differ between runs): the
   * ledger by query and batch, the quarantine, and the watermarks kept beside the ledger.
   */
  public static List<List<String>> platformRows(Connection connection, String pipeline)
      throws SQLException {
    String quoted = "'" + pipeline.replace("'", "''") + "'";
    return List.of(
        rows(
            connection,
            "SELECT query, batch_id, seq, end_offsets, records, quarantined FROM pipeline_batches WHERE pipeline = "
                + quoted
                + " ORDER BY query, seq"),
        rows(
            connection,
            "SELECT topic, kafka_partition, kafka_offset, batch_id, reason, raw_prefix, raw_length FROM quarantine"
                + " WHERE pipeline = "
                + quoted
                + " ORDER BY topic, kafka_partition, kafka_offset"),
        rows(
            connection,
            "SELECT query, newest_event, watermark, late, updated_seq FROM watermarks WHERE pipeline = "
                + quoted
                + " ORDER BY query"));
  }
}
