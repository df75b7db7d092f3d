package dev.sluice.spark.calls;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.pmod;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.HourlyWindows;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.Watermarks;
import dev.sluice.store.calls.HourlyCountsTable;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls per hour of event time, call type and disposition, each disposition joined with its
 * description from the radio codes (a small static dataset broadcast to every task); a code outside
 * them is counted under {@value RadioCodes#UNKNOWN}, never dropped.
 *
 * <p>The hours live in {@code calls_hourly}, not in Spark's state store: each batch counts its own
 * calls per key, in one Spark job, and the commit adds those counts to the table in the transaction
 * that records the batch in the ledger ({@link StreamingJob#startFolding}), so a replayed batch
 * adds nothing twice. The watermark moves in the same transaction ({@link Watermarks}), with
 * Spark's rule: a call whose hour has closed is dropped and counted as late.
 */
final class HourlyCounts {
  private static final Logger log = LoggerFactory.getLogger(HourlyCounts.class);

  static final String WINDOW_START_MS = "window_start_ms";
  static final String NEWEST_MS = "newest_ms";
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
   * {@code window_start_ms, call_type, disposition, description, count, newest_ms} of decoded calls
   * ({@link CallsDecoding}'s fields): the calls' own counts, whatever the hours held before, and
   * each key's newest call.
   */
  static Dataset<Row> perHour(Dataset<Row> calls, Dataset<Row> codes) {
    long window = HourlyWindows.WINDOW_LENGTH.toMillis();
    Dataset<Row> hours =
        calls
            .groupBy(
                col(CallsDecoding.CALL_MS)
                    .minus(pmod(col(CallsDecoding.CALL_MS), lit(window)))
                    .as(WINDOW_START_MS),
                col(CallsDecoding.CALL_TYPE),
                col(CallsDecoding.DISPOSITION))
            .agg(count("*").as("count"), max(col(CallsDecoding.CALL_MS)).as(NEWEST_MS));
    // Joined after counting: a row per key, not per call, meets the codes.
    return hours
        .join(
            broadcast(codes),
            hours.col(CallsDecoding.DISPOSITION).equalTo(codes.col(CODE)),
            "left_outer")
        .select(
            col(WINDOW_START_MS),
            col(CallsDecoding.CALL_TYPE),
            col(CallsDecoding.DISPOSITION),
            coalesce(col(CODE_DESCRIPTION), lit(RadioCodes.UNKNOWN)).as("description"),
            col("count"),
            col(NEWEST_MS));
  }

  /** One hour's count for a call type and disposition. */
  record Hour(
      long windowStartMs, String callType, String disposition, String description, long count) {
    static final Comparator<Hour> KEY_ORDER =
        Comparator.comparingLong(Hour::windowStartMs)
            .thenComparing(Hour::callType)
            .thenComparing(Hour::disposition);

    static Hour of(Row row) {
      return new Hour(
          row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getLong(4));
    }

    Instant windowEnd() {
      return Instant.ofEpochMilli(windowStartMs).plus(HourlyWindows.WINDOW_LENGTH);
    }
  }

  /**
   * A batch's hours split by the watermark of the batches before it: those still open are added,
   * the calls of closed ones are late.
   */
  record Split(List<Hour> open, long late) {
    static Split of(List<Hour> hours, Optional<Watermarks.Watermark> watermark) {
      List<Hour> open = new ArrayList<>(hours.size());
      long late = 0;
      for (Hour hour : hours) {
        if (watermark.isPresent() && watermark.get().closes(hour.windowEnd())) {
          late += hour.count();
        } else {
          open.add(hour);
        }
      }
      open.sort(Hour.KEY_ORDER);
      return new Split(open, late);
    }
  }

  /**
   * A batch's counts per hour and key, and its newest call's time.
   *
   * @param newestCall empty when the batch decoded no call
   */
  record Totals(List<Hour> hours, Optional<Instant> newestCall) {}

  /**
   * The calls query's batch: the counts computed by the executors and brought to the driver, then
   * the counts of the hours still open added to {@code calls_hourly} and the watermark moved on, in
   * the ledger's transaction.
   */
  static final class Fold implements StreamingJob.BatchFold<Totals> {
    /** Keys per upsert: large enough to amortize the round trip, small enough to bound memory. */
    static final int ADD_CHUNK = 20_000;

    private final Dataset<Row> codes;
    private final String query;
    private final Duration lateness;

    Fold(Dataset<Row> codes, String query, Duration lateness) {
      this.codes = codes;
      this.query = query;
      this.lateness = lateness;
    }

    @Override
    public Totals compute(Dataset<Row> decoded) {
      List<Hour> hours = new ArrayList<>();
      long newest = Long.MIN_VALUE;
      for (Row row : perHour(decoded, codes).collectAsList()) {
        hours.add(Hour.of(row));
        newest = Math.max(newest, row.getLong(5));
      }
      return new Totals(
          hours, hours.isEmpty() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(newest)));
    }

    @Override
    public void fold(Connection connection, long seq, Totals totals) throws SQLException {
      Optional<Watermarks.Watermark> watermark =
          Watermarks.read(connection, CallsDefinition.NAME, query);
      Split split = Split.of(totals.hours(), watermark);
      add(connection, split.open(), seq);
      Watermarks.advance(
          connection,
          CallsDefinition.NAME,
          query,
          watermark,
          totals.newestCall(),
          lateness,
          split.late(),
          seq);
      if (split.late() > 0) {
        log.warn(
            "{}: {} calls of hours closed before this batch (watermark {}) were dropped as late",
            query,
            split.late(),
            watermark.flatMap(Watermarks.Watermark::watermark).map(Instant::toString).orElse(""));
      }
    }

    /** Adds the hours' counts, in key order, a chunk of keys per round trip. */
    static void add(Connection connection, List<Hour> hours, long seq) throws SQLException {
      try (PreparedStatement add = connection.prepareStatement(HourlyCountsTable.ADD_ALL)) {
        for (int from = 0; from < hours.size(); from += ADD_CHUNK) {
          List<Hour> chunk = hours.subList(from, Math.min(hours.size(), from + ADD_CHUNK));
          int size = chunk.size();
          Long[] starts = new Long[size];
          String[] types = new String[size];
          String[] codes = new String[size];
          String[] descriptions = new String[size];
          Long[] counts = new Long[size];
          for (int i = 0; i < size; i++) {
            Hour hour = chunk.get(i);
            starts[i] = hour.windowStartMs();
            types[i] = hour.callType();
            codes[i] = hour.disposition();
            descriptions[i] = hour.description();
            counts[i] = hour.count();
          }
          HourlyCountsTable.bindAll(
              add,
              connection.createArrayOf("bigint", starts),
              connection.createArrayOf("text", types),
              connection.createArrayOf("text", codes),
              connection.createArrayOf("text", descriptions),
              connection.createArrayOf("bigint", counts),
              seq);
          add.executeUpdate();
        }
      }
    }
  }
}
