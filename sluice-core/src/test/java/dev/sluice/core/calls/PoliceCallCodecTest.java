package dev.sluice.core.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class PoliceCallCodecTest {
  /** A record as the published dataset writes it (its first line, 2018-12-31). */
  static final String DATASET_RECORD =
      "{\"crime_id\": \"183653763\", \"original_crime_type_name\": \"Traffic Stop\","
          + " \"report_date\": \"2018-12-31T00:00:00.000\", \"call_date\": \"2018-12-31T00:00:00.000\","
          + " \"offense_date\": \"2018-12-31T00:00:00.000\", \"call_time\": \"23:57\","
          + " \"call_date_time\": \"2018-12-31T23:57:00.000\", \"disposition\": \"ADM\","
          + " \"address\": \"Geary Bl/divisadero St\", \"city\": \"San Francisco\", \"state\": \"CA\","
          + " \"agency_id\": \"1\", \"address_type\": \"Intersection\", \"common_location\": \"\"}";

  @Test
  void decodesADatasetRecordWithItsTimeReadInSanFrancisco() {
    PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(DATASET_RECORD);

    assertThat(decoded.reason()).isNull();
    PoliceCall call = decoded.call();
    assertThat(call.crimeId()).isEqualTo("183653763");
    assertThat(call.callType()).isEqualTo("Traffic Stop");
    assertThat(call.disposition()).isEqualTo("ADM");
    assertThat(call.address()).isEqualTo("Geary Bl/divisadero St");
    assertThat(call.commonLocation()).isEmpty();
    // PST is UTC-8 in December.
    assertThat(Instant.ofEpochMilli(decoded.callEpochMillis()))
        .isEqualTo(Instant.parse("2019-01-01T07:57:00Z"));
  }

  @Test
  void summerTimesAreDaylightTime() {
    PoliceCallCodec.Decoded decoded =
        PoliceCallCodec.decode(
            "{\"crime_id\":\"1\",\"original_crime_type_name\":\"Passing Call\","
                + "\"call_date_time\":\"2018-07-04T12:00:00\",\"disposition\":\"HAN\"}");

    assertThat(Instant.ofEpochMilli(decoded.callEpochMillis()))
        .isEqualTo(Instant.parse("2018-07-04T19:00:00Z"));
  }

  @Test
  void roundTripsThroughItsWireForm() {
    PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(DATASET_RECORD);

    assertThat(PoliceCallCodec.decode(PoliceCallCodec.encode(decoded.call()))).isEqualTo(decoded);
    assertThat(PoliceCallCodec.callDateTime(decoded.callEpochMillis()))
        .isEqualTo("2018-12-31T23:57:00.000");
  }

  @Test
  void rejectsWithTheFieldAndWhatWasExpected() {
    assertThat(reason("{\"original_crime_type_name\":\"x\"}")).isEqualTo("crime_id is missing");
    assertThat(reason(DATASET_RECORD.replace("\"183653763\"", "183653763")))
        .isEqualTo(
            "crime_id must be a string (the dataset writes every field as one), got a number");
    assertThat(reason(DATASET_RECORD.replace("2018-12-31T23:57:00.000", "yesterday")))
        .startsWith("call_date_time must be a local date and time like 2018-12-31T23:57:00.000")
        .endsWith("got \"yesterday\"");
    assertThat(reason(DATASET_RECORD.replace("2018-12-31T23:57:00.000", "2018-12-31T23:57:00Z")))
        .startsWith("call_date_time must be");
    assertThat(reason(DATASET_RECORD.replace("\"ADM\"", "\"A D\"")))
        .startsWith("disposition must be a radio code of printable ASCII without spaces");
    assertThat(reason(DATASET_RECORD.replace("\"ADM\"", "\"  \"")))
        .isEqualTo("disposition must not be blank");
    assertThat(reason(DATASET_RECORD.replace("\"Traffic Stop\"", "\"" + "x".repeat(101) + "\"")))
        .isEqualTo("original_crime_type_name must have at most 100 characters, got 101");
    assertThat(reason("[1]")).isEqualTo("not a JSON object");
    assertThat(reason("")).startsWith("empty record");
  }

  @Test
  void keepsNonAsciiTextAsGiven() {
    PoliceCallCodec.Decoded decoded =
        PoliceCallCodec.decode(DATASET_RECORD.replace("Geary Bl/divisadero St", "Calle Año 24/7"));

    assertThat(decoded.call().address()).isEqualTo("Calle Año 24/7");
  }

  private static String reason(String json) {
    PoliceCallCodec.Decoded decoded = PoliceCallCodec.decode(json);
    assertThat(decoded.ok()).as(json).isFalse();
    return decoded.reason();
  }
}
