package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.SparkTestSession;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.execution.streaming.runtime.MemoryStream;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.junit.jupiter.api.Test;
import scala.Option;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The minutes query's stages on an in-memory stream, in update mode as the pipeline runs them:
 * duplicates counted once, late records left out, each batch emitting the full figures of the
 * minutes it changed.
 */
class RevenueMinutesTest {
  private static final long MINUTE = 1_764_518_400_000L; // 2025-11-30T16:00:00Z

  @Test
  void countsEachRecordOnceAndLeavesOutWhatComesBehindTheWatermark() throws Exception {
    SparkSession spark = SparkTestSession.get();
    MemoryStream<Row> records =
        new MemoryStream<>(1, spark, Option.empty(), Encoders.row(new RevenueDecoder().schema()));
    StreamingQuery query =
        RevenueMinutes.perMinute(records.toDF(), 60)
            .writeStream()
            .outputMode(OutputMode.Update())
            .format("memory")
            .queryName("revenue_minutes_test")
            .start();
    try {
      // Batch 1: two records in the first minute, one of them twice; one in the next minute.
      RevenueRecord a = new RevenueRecord("a", false, 12_500, 1, MINUTE + 1_000);
      RevenueRecord b = new RevenueRecord("7", true, -2_500, 2, MINUTE + 59_999);
      RevenueRecord c = new RevenueRecord("a", false, 10_000, 3, MINUTE + 60_000);
      add(records, a, b, a, c);
      query.processAllAvailable();
      assertThat(figures(spark))
          .containsExactlyInAnyOrder(
              MINUTE + " | 2 | 10000 | 2 | 3 | 12500",
              (MINUTE + 60_000) + " | 1 | 10000 | 1 | 3 | 10000");

      // Batch 2: the duplicate again, a new record in the second minute, and one far behind the
      // watermark (which batch 1 moved to the second minute's start, less 60 s).
      RevenueRecord d = new RevenueRecord("b", false, 1, 0, MINUTE + 200_000);
      RevenueRecord late = new RevenueRecord("z", false, 99, 0, MINUTE - 120_000);
      add(records, a, d);
      query.processAllAvailable();
      add(records, late);
      query.processAllAvailable();
      assertThat(figures(spark))
          .contains(MINUTE + " | 2 | 10000 | 2 | 3 | 12500")
          .contains((MINUTE + 180_000) + " | 1 | 1 | 1 | 0 | 1")
          .noneMatch(row -> row.startsWith((MINUTE - 120_000) + " "));
    } finally {
      query.stop();
    }
  }

  private static void add(MemoryStream<Row> stream, RevenueRecord... records) {
    List<Row> rows = new ArrayList<>();
    for (RevenueRecord r : records) {
      rows.add(
          RowFactory.create(
              r.id(),
              r.numericId(),
              r.revenueUnits(),
              r.revenueCounter(),
              r.timestamp(),
              r.version()));
    }
    stream.addData(CollectionConverters.asScala(rows).toSeq());
  }

  /** The last figures emitted per minute. */
  private static List<String> figures(SparkSession spark) {
    List<String> rows = new ArrayList<>();
    java.util.Map<Long, String> last = new java.util.TreeMap<>();
    for (Row row : spark.table("revenue_minutes_test").collectAsList()) {
      RevenueMinutes.minute(row); // every row converts to the published figures
      last.put(
          row.getLong(0),
          row.getLong(0)
              + " | "
              + row.getLong(1)
              + " | "
              + row.getDecimal(2).toPlainString()
              + " | "
              + row.getLong(3)
              + " | "
              + row.getDecimal(4).toPlainString()
              + " | "
              + row.getLong(5));
    }
    rows.addAll(last.values());
    return rows;
  }
}
