package dev.sluice.spark.calls;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.stream.RecordDecoder;
import dev.sluice.store.Watermarks;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

/**
 * The calls query's decoding and counting (on Spark local over a static dataset), and the
 * watermark's rule.
 */
class HourlyCountsTest {
  @Test
  void countsPerSanFranciscoHourCallTypeAndDispositionWithUnknownCodesKept() {
    SparkSession spark = SparkTestSession.get();
    List<Row> calls = new ArrayList<>();
    calls.add(decoded("1", "Passing Call", "2018-12-31T23:57:00.000", "HAN"));
    calls.add(decoded("2", "Passing Call", "2018-12-31T23:01:00.000", "HAN"));
    calls.add(decoded("3", "Passing Call", "2019-01-01T00:00:00.000", "HAN"));
    calls.add(decoded("4", "Traffic Stop", "2018-12-31T23:30:00", "CIT"));
    calls.add(decoded("5", "Tráfico — Stop", "2018-12-31T23:30:00", "ZZZ"));
    calls.add(decoded("6", "Tráfico — Stop", "2018-12-31T23:40:00", "ZZZ"));

    Map<String, Long> counts = new TreeMap<>();
    for (Row row :
        HourlyCounts.perHour(
                spark.createDataFrame(calls, CallsDecoding.FIELDS),
                HourlyCounts.codes(spark, RadioCodes.published()))
            .collectAsList()) {
      counts.put(
          Instant.ofEpochMilli(row.<Long>getAs(HourlyCounts.WINDOW_START_MS))
              + " | "
              + row.getAs("call_type")
              + " | "
              + row.getAs("disposition")
              + " | "
              + row.getAs("description"),
          row.<Long>getAs("count"));
    }

    // 23:00 PST is 07:00 UTC the next day.
    assertThat(counts)
        .containsExactlyInAnyOrderEntriesOf(
            Map.of(
                "2019-01-01T07:00:00Z | Passing Call | HAN | Handled", 2L,
                "2019-01-01T08:00:00Z | Passing Call | HAN | Handled", 1L,
                "2019-01-01T07:00:00Z | Traffic Stop | CIT | Cited", 1L,
                "2019-01-01T07:00:00Z | Tráfico — Stop | ZZZ | unknown", 2L));
  }

  @Test
  void hoursThatEndedAtOrBeforeTheWatermarkAreLateTheOthersAreAddedInKeyOrder() {
    long h0 = Instant.parse("2019-01-01T07:00:00Z").toEpochMilli();
    long hour = 3_600_000;
    List<HourlyCounts.Hour> hours =
        List.of(
            new HourlyCounts.Hour(h0 + 2 * hour, "Traffic Stop", "CIT", "Cited", 4),
            new HourlyCounts.Hour(h0, "Passing Call", "HAN", "Handled", 2),
            new HourlyCounts.Hour(h0 + hour, "Passing Call", "HAN", "Handled", 3),
            new HourlyCounts.Hour(h0 + 2 * hour, "Passing Call", "HAN", "Handled", 1));

    // No batch before, or only one: nothing is late.
    HourlyCounts.Split first = HourlyCounts.Split.of(hours, Optional.empty());
    assertThat(first.late()).isZero();
    assertThat(first.open()).hasSize(4);
    assertThat(first.open().get(0).windowStartMs()).isEqualTo(h0);
    Watermarks.Watermark afterOneBatch =
        new Watermarks.Watermark(Instant.ofEpochMilli(h0 + 5 * hour), Optional.empty(), 0);
    assertThat(HourlyCounts.Split.of(hours, Optional.of(afterOneBatch)).late()).isZero();

    // A watermark exactly at the end of hour 1 closes hours 0 and 1 (5 calls); hour 2 stays open,
    // its keys in order.
    Watermarks.Watermark atEndOfHour1 =
        new Watermarks.Watermark(
            Instant.ofEpochMilli(h0 + 2 * hour + 1_800_000),
            Optional.of(Instant.ofEpochMilli(h0 + 2 * hour)),
            0);
    HourlyCounts.Split split = HourlyCounts.Split.of(hours, Optional.of(atEndOfHour1));
    assertThat(split.late()).isEqualTo(5);
    assertThat(split.open())
        .extracting(HourlyCounts.Hour::callType)
        .containsExactly("Passing Call", "Traffic Stop");

    // A millisecond earlier, hour 1 is still open.
    Watermarks.Watermark justBefore =
        new Watermarks.Watermark(
            atEndOfHour1.newestEvent(), Optional.of(Instant.ofEpochMilli(h0 + 2 * hour - 1)), 0);
    assertThat(HourlyCounts.Split.of(hours, Optional.of(justBefore)).late()).isEqualTo(2);
  }

  @Test
  void theDecoderGivesTheCountedFieldsOrTheCodecsReason() {
    CallsDecoding decoding = new CallsDecoding();
    RecordDecoder.Decoded call =
        decoding.decode(
            ("{\"crime_id\":\"9\",\"original_crime_type_name\":\"Audible Alarm\","
                    + "\"call_date_time\":\"2018-07-01T10:15:00.000\",\"disposition\":\"PAS\"}")
                .getBytes(StandardCharsets.UTF_8),
            "calls",
            0,
            0);
    assertThat(call.fields())
        .containsExactly(
            "9", "Audible Alarm", "PAS", PoliceCallCodec.epochMillis("2018-07-01T10:15:00.000"));
    assertThat(decoding.idField()).contains(CallsDecoding.CRIME_ID);

    RecordDecoder.Decoded bad =
        decoding.decode("{\"crime_id\":\"9\"}".getBytes(StandardCharsets.UTF_8), "calls", 0, 1);
    assertThat(bad.fields()).isNull();
    assertThat(bad.reason()).isEqualTo("original_crime_type_name is missing");
  }

  private static Row decoded(String id, String type, String callDateTime, String disposition) {
    return RowFactory.create(id, type, disposition, PoliceCallCodec.epochMillis(callDateTime));
  }
}
