package dev.sluice.spark.security;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.window;

import dev.sluice.spark.stream.EventTimeInputs;
import dev.sluice.spark.stream.ExecutorJdbcWriter;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Traffic per minute of event time: events and bytes per input, source, target, destination port
 * and protocol ({@code traffic_minutes}). The same stages run in the streaming query and in {@code
 * ./sluice batch traffic}, which writes under its own origin.
 */
final class Traffic {
  /** Events later than this behind the newest are left out of their minute. */
  static final String WATERMARK = "30 seconds";

  /** The streaming query's rows. */
  static final String STREAM = "stream";

  private Traffic() {}

  /**
   * Per minute: {@code minute, input, source, target, dst_port, proto, events, bytes, last_seen}.
   */
  static Dataset<Row> perMinute(List<Dataset<Row>> inputs) {
    return EventTimeInputs.union(inputs, "ts", WATERMARK)
        .groupBy(
            window(col(EventTimeInputs.EVENT_TIME), "1 minute"),
            col("input"),
            col("src"),
            col("dst"),
            col("dst_port"),
            col("proto"))
        .agg(
            count("*").as("events"),
            sum(col("bytes")).as("bytes"),
            max(col(EventTimeInputs.EVENT_TIME)).as("last_seen"))
        .select(
            col("window.start").as("minute"),
            col("input"),
            col("src").as("source"),
            col("dst").as("target"),
            col("dst_port"),
            col("proto"),
            col("events"),
            col("bytes"),
            col("last_seen"));
  }

  /**
   * Upserts each minute's counts (a later batch's row for the same minute replaces the earlier one:
   * Spark's state holds the whole minute), then, in the ledger's transaction, closes the incidents
   * whose quiet period the newest event time of the batch has passed: the traffic query sees every
   * record, so its progress is the pipeline's.
   */
  static final class MinuteSink implements StreamingJob.StateOutputSink {
    static final String UPSERT =
        "INSERT INTO traffic_minutes (origin, minute, input, source, target, dst_port, proto,"
            + " events, bytes, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
            + " ON CONFLICT (origin, minute, input, source, target, dst_port, proto) DO UPDATE SET"
            + " events = EXCLUDED.events, bytes = EXCLUDED.bytes, last_seen = EXCLUDED.last_seen";

    private final Database database;
    private final String origin;
    private final boolean closesIncidents;

    MinuteSink(Database database, String origin, boolean closesIncidents) {
      this.database = database;
      this.origin = origin;
      this.closesIncidents = closesIncidents;
    }

    @Override
    public void write(long seq, Dataset<Row> output) {
      write(output, database, origin);
    }

    static void write(Dataset<Row> output, Database database, String origin) {
      ExecutorJdbcWriter.write(
          output,
          database,
          UPSERT,
          (statement, row) -> {
            statement.setString(1, origin);
            statement.setTimestamp(2, row.getTimestamp(0));
            statement.setString(3, row.getString(1));
            statement.setString(4, row.getString(2));
            statement.setString(5, row.getString(3));
            statement.setInt(6, row.getInt(4));
            statement.setString(7, row.getString(5));
            statement.setLong(8, row.getLong(6));
            statement.setLong(9, row.getLong(7));
            statement.setTimestamp(10, row.getTimestamp(8));
          });
    }

    @Override
    public void applyCumulative(Connection connection, long seq, Dataset<Row> output)
        throws SQLException {
      if (!closesIncidents) {
        return;
      }
      Row newest = output.agg(max(col("last_seen"))).first();
      if (newest.isNullAt(0)) {
        return;
      }
      Timestamp seen = newest.getTimestamp(0);
      try (PreparedStatement close =
          connection.prepareStatement("SELECT close_quiet_incidents(?)")) {
        close.setTimestamp(1, seen);
        close.execute();
      }
    }
  }
}
