package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.core.revenue.RevenueResults;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The values the revenue pipeline publishes, and its decoder's rows. */
class RevenueResultsTest {
  @Test
  void aComputedStateCarriesTheWinningRecordAndItsVersion() {
    RevenueRecord record = new RevenueRecord("42", true, 125_000, 3, 1_764_518_400_000L);
    String json =
        new String(JsonRecords.write(RevenueResults.computed(record)), StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"id\":42,\"revenue\":12.5,\"revenue_counter\":3,\"timestamp\":1764518400000,"
                + "\"version\":\""
                + record.version()
                + "\"}");
  }

  @Test
  void aMinuteIsKeyedByItsStartAndKeepsItsRevenueExact() {
    RevenueResults.Minute minute =
        new RevenueResults.Minute(
            1_764_518_400_000L,
            3,
            new BigDecimal("100000000000000000000001"),
            2,
            new BigDecimal("7"),
            20_000);
    assertThat(minute.key()).isEqualTo("2025-11-30T16:00:00Z");
    assertThat(new String(JsonRecords.write(minute.toJson()), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"minute\":\"2025-11-30T16:00:00Z\",\"start\":1764518400000,\"records\":3,"
                + "\"revenue\":10000000000000000000.0001,\"ids\":2,\"revenue_counter\":7,"
                + "\"max_revenue\":2}");
  }

  @Test
  void theDecoderGivesTheCodecsRecordOrItsReason() {
    RevenueDecoder decoder = new RevenueDecoder();
    var decoded =
        decoder.decode(
            "{\"id\":\"ä-1\",\"revenue\":\"12.50\",\"revenue_counter\":2,\"timestamp\":\"2025-11-30T16:00:00Z\"}"
                .getBytes(StandardCharsets.UTF_8),
            "revenue",
            0,
            0);
    RevenueRecord expected = new RevenueRecord("ä-1", false, 125_000, 2, 1_764_518_400_000L);
    assertThat(decoded.fields())
        .containsExactly("ä-1", false, 125_000L, 2L, 1_764_518_400_000L, expected.version());
    assertThat(decoder.schema().size()).isEqualTo(decoded.fields().length);
    var rejected =
        decoder.decode(
            "{\"id\":1,\"revenue\":1.00001,\"revenue_counter\":0,\"timestamp\":0}"
                .getBytes(StandardCharsets.UTF_8),
            "revenue",
            0,
            1);
    assertThat(rejected.reason())
        .isEqualTo(
            RevenueCodec.decode(
                    "{\"id\":1,\"revenue\":1.00001,\"revenue_counter\":0,\"timestamp\":0}")
                .reason())
        .contains("decimal places");
  }
}
