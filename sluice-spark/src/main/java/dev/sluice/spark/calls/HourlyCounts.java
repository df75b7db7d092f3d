package dev.sluice.spark.calls;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.window;

import dev.sluice.core.calls.HourlyWindows;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.spark.stream.ExecutorJdbcWriter;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.Database;
import dev.sluice.store.calls.HourlyCountsTable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Calls per hour of event time, call type and disposition, each disposition joined with its
 * description from the radio codes (a stream-static join: the codes are a small static dataset
 * broadcast to every task); a code outside them is counted under {@value RadioCodes#UNKNOWN}, never
 * dropped.
 */
final class HourlyCounts {
  static final String EVENT_TIME = "event_time";
  static final String CODE = "code";
  static final String CODE_DESCRIPTION = "code_description";

  static final StructType CODES =
      new StructType()
          .add(CODE, DataTypes.StringType, false)
          .add(CODE_DESCRIPTION, DataTypes.StringType, false);

  private HourlyCounts() {}

  /** The radio codes as the static side of the join. */
  static Dataset<Row> codes(SparkSession spark, RadioCodes codes) {
    List<Row> rows = new ArrayList<>(codes.size());
    for (Map.Entry<String, String> code : codes.asMap().entrySet()) {
      rows.add(RowFactory.create(code.getKey(), code.getValue()));
    }
    return spark.createDataFrame(rows, CODES);
  }

  /**
   * {@code window_start, call_type, disposition, description, count} of decoded calls ({@link
   * CallsDecoding}'s fields).
   *
   * @param lateness how far behind the newest call a call may arrive and still count
   */
  static Dataset<Row> perHour(Dataset<Row> calls, Dataset<Row> codes, String lateness) {
    Dataset<Row> timed =
        calls
            .withColumn(EVENT_TIME, timestamp_millis(col(CallsDecoding.CALL_MS)))
            .withWatermark(EVENT_TIME, lateness);
    return timed
        .join(
            broadcast(codes),
            timed.col(CallsDecoding.DISPOSITION).equalTo(codes.col(CODE)),
            "left_outer")
        .groupBy(
            window(col(EVENT_TIME), HourlyWindows.WINDOW),
            col(CallsDecoding.CALL_TYPE),
            col(CallsDecoding.DISPOSITION),
            coalesce(col(CODE_DESCRIPTION), lit(RadioCodes.UNKNOWN)).as("description"))
        .agg(count("*").as("count"))
        .select(
            col("window.start").as("window_start"),
            col(CallsDecoding.CALL_TYPE),
            col(CallsDecoding.DISPOSITION),
            col("description"),
            col("count"));
  }

  /**
   * Upserts each changed hour's full count: the query runs in update mode, so a batch emits every
   * key whose count it changed with the count so far, and a replayed batch emits the same rows.
   */
  static final class Sink implements StreamingJob.StateOutputSink {
    private final Database database;

    Sink(Database database) {
      this.database = database;
    }

    @Override
    public void write(long seq, Dataset<Row> output) {
      ExecutorJdbcWriter.write(
          output,
          database,
          HourlyCountsTable.UPSERT,
          (statement, row) ->
              HourlyCountsTable.bind(
                  statement,
                  row.getAs("window_start"),
                  row.getAs(CallsDecoding.CALL_TYPE),
                  row.getAs(CallsDecoding.DISPOSITION),
                  row.getAs("description"),
                  row.<Long>getAs("count"),
                  seq));
    }
  }
}
