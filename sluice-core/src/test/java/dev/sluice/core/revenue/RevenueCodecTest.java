package dev.sluice.core.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RevenueCodecTest {
  private static RevenueRecord accepted(String json) {
    RevenueCodec.Decoded decoded = RevenueCodec.decode(json);
    assertThat(decoded.reason()).as("reason for %s", json).isNull();
    return decoded.record();
  }

  private static String rejectedReason(String json) {
    RevenueCodec.Decoded decoded = RevenueCodec.decode(json);
    assertThat(decoded.ok()).as("decoded %s", decoded).isFalse();
    assertThat(decoded.record()).isNull();
    return decoded.reason();
  }

  private static RevenueRecord record(String id, String revenue, long counter, long timestamp) {
    return accepted(
        "{\"id\":\"%s\",\"revenue\":%s,\"revenue_counter\":%d,\"timestamp\":%d}"
            .formatted(id, revenue, counter, timestamp));
  }

  @Test
  void decodesAStringIdAndADecimalRevenueExactly() {
    RevenueRecord record =
        accepted(
            "{\"id\":\"acct-7\",\"revenue\":12.50,\"revenue_counter\":3,"
                + "\"timestamp\":1764518400123,\"ignored\":true}");

    assertThat(record)
        .isEqualTo(new RevenueRecord("acct-7", false, 125_000, 3, 1_764_518_400_123L));
    assertThat(record.revenue()).isEqualTo(new BigDecimal("12.5"));
  }

  @Test
  void anIntegerIdIsTheSameIdAsItsDigitsAndKeepsItsForm() {
    RevenueRecord number =
        accepted("{\"id\":42,\"revenue\":1,\"revenue_counter\":0,\"timestamp\":1}");
    RevenueRecord text =
        accepted("{\"id\":\"42\",\"revenue\":1,\"revenue_counter\":0,\"timestamp\":1}");

    assertThat(number.id()).isEqualTo(text.id()).isEqualTo("42");
    assertThat(number.numericId()).isTrue();
    assertThat(text.numericId()).isFalse();
    assertThat(RevenueCodec.toJson(number).get("id").isNumber()).isTrue();
    assertThat(RevenueCodec.toJson(text).get("id").isTextual()).isTrue();
    assertThat(number.version()).isNotEqualTo(text.version());
  }

  @Test
  void readsARevenueGivenAsAStringAndKeepsWholeAmountsPlain() {
    assertThat(accepted("{\"id\":1,\"revenue\":\"-3.0001\",\"revenue_counter\":0,\"timestamp\":1}"))
        .extracting(RevenueRecord::revenueUnits)
        .isEqualTo(-30_001L);
    RevenueRecord hundred =
        accepted("{\"id\":1,\"revenue\":1E+2,\"revenue_counter\":0,\"timestamp\":1}");
    assertThat(hundred.revenue().toPlainString()).isEqualTo("100");
    assertThat(new String(RevenueCodec.encode(hundred), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo("{\"id\":1,\"revenue\":100,\"revenue_counter\":0,\"timestamp\":1}");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2025-11-30T16:00:00Z | 1764518400000",
        "2025-11-30T08:00:00.250-08:00 | 1764518400250",
        "2025-11-30T16:00:00.000999Z | 1764518400000",
      })
  void readsIsoTimestampsWithTheirOffset(String iso, long millis) {
    assertThat(
            accepted("{\"id\":1,\"revenue\":1,\"revenue_counter\":0,\"timestamp\":\"" + iso + "\"}")
                .timestamp())
        .isEqualTo(millis);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"revenue\":1,\"revenue_counter\":0,\"timestamp\":1} | id is missing",
        "{\"id\":1.5,\"revenue\":1,\"revenue_counter\":0,\"timestamp\":1} | id must be a string or a whole number that fits 64 bits, got a decimal number 1.5",
        "{\"id\":\"\",\"revenue\":1,\"revenue_counter\":0,\"timestamp\":1} | id must have 1 to 200 characters, got 0",
        "{\"id\":\"a\\tb\",\"revenue\":1,\"revenue_counter\":0,\"timestamp\":1} | id must not contain control characters",
        "{\"id\":1,\"revenue\":1.00001,\"revenue_counter\":0,\"timestamp\":1} | revenue must have at most 4 decimal places (it is never rounded), got 1.00001",
        "{\"id\":1,\"revenue\":\"12,50\",\"revenue_counter\":0,\"timestamp\":1} | revenue must be a decimal amount such as 12.50, got \"12,50\"",
        "{\"id\":1,\"revenue\":true,\"revenue_counter\":0,\"timestamp\":1} | revenue must be a decimal amount",
        "{\"id\":1,\"revenue\":1e12,\"revenue_counter\":0,\"timestamp\":1} | revenue must be below 10^12 in absolute value",
        "{\"id\":1,\"revenue\":1,\"revenue_counter\":-1,\"timestamp\":1} | revenue_counter must be a whole number of at least 0, got a number -1",
        "{\"id\":1,\"revenue\":1,\"revenue_counter\":0.5,\"timestamp\":1} | revenue_counter must be a whole number of at least 0, got a decimal number 0.5",
        "{\"id\":1,\"revenue\":1,\"revenue_counter\":0,\"timestamp\":-5} | timestamp must be epoch milliseconds from 0",
        "{\"id\":1,\"revenue\":1,\"revenue_counter\":0,\"timestamp\":\"2026-11-30T16:00:00\"} | timestamp must be epoch milliseconds or an ISO-8601 date-time with its offset",
        "{\"id\":1,\"revenue\":1,\"revenue_counter\":0,\"timestamp\":\"1969-12-31T23:59:59Z\"} | timestamp must be from 1970-01-01T00:00:00Z",
        "{\"id\":1,\"revenue\":1,\"revenue_counter\":0} | timestamp is missing",
        "[1,2] | not a JSON object",
      })
  void rejectsWithAReasonNamingTheFieldAndWhatWasGiven(String json, String reason) {
    assertThat(rejectedReason(json)).startsWith(reason);
  }

  @Test
  void versionsOrderByTimestampThenCounterThenRevenue() {
    List<RevenueRecord> ordered =
        List.of(
            record("a", "-999999999999.9999", 0, 0),
            record("a", "-1", 0, 5),
            record("a", "0", 0, 5),
            record("a", "0.0001", 0, 5),
            record("a", "999999999999.9999", 0, 5),
            record("a", "-5", 1, 5),
            record("a", "-5", 10, 5),
            record("a", "-5", Long.MAX_VALUE, 5),
            record("a", "0", 0, 6),
            record("a", "0", 0, RevenueRecord.MAX_TIMESTAMP));
    List<RevenueRecord> shuffled = new ArrayList<>(ordered);
    Collections.shuffle(shuffled, new Random(7));

    shuffled.sort((x, y) -> x.version().compareTo(y.version()));

    assertThat(shuffled).containsExactlyElementsOf(ordered);
    assertThat(ordered.stream().map(RevenueRecord::version).distinct()).hasSize(ordered.size());
  }
}
