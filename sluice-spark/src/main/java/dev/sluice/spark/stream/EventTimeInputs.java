package dev.sluice.spark.stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.timestamp_millis;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Several decoded inputs as one event-time stream: each input gets the {@value #EVENT_TIME} column
 * and a watermark of its own before they are joined, so the query's watermark is the smallest of
 * theirs (Spark's default policy) and an input that runs behind is never dropped as late because
 * another ran ahead.
 */
public final class EventTimeInputs {
  /** The timestamp column windows are computed over. */
  public static final String EVENT_TIME = "event_time";

  private EventTimeInputs() {}

  /**
   * @param inputs decoded streams of the same columns
   * @param epochMillis the column holding each record's event time in epoch milliseconds
   * @param lateness how far behind the newest event time a record may arrive and still count, as
   *     Spark's {@code withWatermark} reads it, e.g. {@code "10 seconds"}
   */
  public static Dataset<Row> union(List<Dataset<Row>> inputs, String epochMillis, String lateness) {
    Dataset<Row> joined = null;
    for (Dataset<Row> input : inputs) {
      Dataset<Row> timed =
          input
              .withColumn(EVENT_TIME, timestamp_millis(col(epochMillis)))
              .withWatermark(EVENT_TIME, lateness);
      joined = joined == null ? timed : joined.unionByName(timed);
    }
    if (joined == null) {
      throw new IllegalArgumentException("no inputs");
    }
    return joined;
  }
}
