package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The executors' side of decode-or-quarantine in the stateful and folding shapes ({@link
 * DecodeOrQuarantine#decodeEach}): each Kafka record as one row of coordinates, the decoder's
 * fields or the rejection, and the raw value last, the layout {@link RecordIds} and {@link
 * QuarantineWriter} read by position.
 */
class DecodeOrQuarantineTest {
  private static final Timestamp KAFKA_TS = Timestamp.valueOf("2026-12-02 18:00:00");

  /** {@code name:count}, or a rejection; {@code boom} makes it throw, as a decoder's bug would. */
  private static final class NameCountDecoder implements RecordDecoder {
    @Override
    public StructType schema() {
      return new StructType().add("name", DataTypes.StringType).add("count", DataTypes.LongType);
    }

    @Override
    public Decoded decode(byte[] value, String topic, int partition, long offset) {
      String text = new String(value, StandardCharsets.UTF_8);
      if (text.equals("boom")) {
        throw new IllegalStateException("boom");
      }
      String[] parts = text.split(":", 2);
      if (parts.length != 2 || !parts[1].matches("[0-9]+")) {
        return Decoded.rejected("expected name:count");
      }
      return Decoded.of(parts[0], Long.parseLong(parts[1]));
    }
  }

  private static List<Row> decodeEach(String... values) {
    List<Row> records = new ArrayList<>();
    for (int i = 0; i < values.length; i++) {
      records.add(
          RowFactory.create(
              values[i].getBytes(StandardCharsets.UTF_8), "events", 1, 100L + i, KAFKA_TS));
    }
    List<Row> rows = new ArrayList<>();
    Iterator<Row> decoded =
        DecodeOrQuarantine.decodeEach(records.iterator(), new NameCountDecoder());
    decoded.forEachRemaining(rows::add);
    return rows;
  }

  @Test
  void aDecodedRecordHasItsCoordinatesItsFieldsNoReasonAndItsValueLast() {
    Row row = decodeEach("apples:3").get(0);

    assertThat(row.size()).isEqualTo(4 + 2 + 3 + 1);
    assertThat(row.getString(0)).isEqualTo("events");
    assertThat(row.getInt(1)).isEqualTo(1);
    assertThat(row.getLong(2)).isEqualTo(100L);
    assertThat(row.get(3)).isEqualTo(KAFKA_TS);
    assertThat(row.getString(4)).isEqualTo("apples");
    assertThat(row.getLong(5)).isEqualTo(3L);
    assertThat(row.isNullAt(6)).as("reason").isTrue();
    assertThat(row.isNullAt(7)).as("raw prefix").isTrue();
    assertThat(row.isNullAt(8)).as("raw length").isTrue();
    assertThat((byte[]) row.get(9)).isEqualTo("apples:3".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aRejectedRecordHasNoFieldsAndItsReasonPrefixAndLength() {
    Row row = decodeEach("apples", "pears:2").get(0);

    assertThat(row.getLong(2)).isEqualTo(100L);
    assertThat(row.isNullAt(4)).isTrue();
    assertThat(row.isNullAt(5)).isTrue();
    assertThat(row.getString(6)).isEqualTo("expected name:count");
    assertThat((byte[]) row.get(7)).isEqualTo("apples".getBytes(StandardCharsets.UTF_8));
    assertThat(row.getInt(8)).isEqualTo(6);
    assertThat((byte[]) row.get(9)).isEqualTo("apples".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyRecordGivesOneRowInOrderWhateverItsFate() {
    List<Row> rows = decodeEach("a:1", "bad", "boom", "b:2");

    assertThat(rows).extracting(row -> row.getLong(2)).containsExactly(100L, 101L, 102L, 103L);
    assertThat(rows).extracting(row -> row.isNullAt(6)).containsExactly(true, false, false, true);
  }

  @Test
  void aDecoderThatThrowsQuarantinesTheRecordInsteadOfFailingThePartition() {
    Row row = decodeEach("boom").get(0);

    assertThat(row.getString(6)).startsWith("the decoder failed: ").contains("boom");
  }

  @Test
  void aFieldNoStoreCanHoldIsRejectedLikeAnyBadRecord() {
    Row row = decodeEach("nul\u0000here:1").get(0);

    assertThat(row.isNullAt(4)).isTrue();
    assertThat(row.getString(6)).isEqualTo("name contains U+0000 at character 4");
  }

  @Test
  void aLongValueKeepsOnlyItsFirstBytesInThePrefixButItsWholeLength() {
    String value = "x".repeat(DecodeOrQuarantine.RAW_PREFIX_BYTES + 500);

    Row row = decodeEach(value).get(0);

    assertThat((byte[]) row.get(7)).hasSize(DecodeOrQuarantine.RAW_PREFIX_BYTES);
    assertThat(row.getInt(8)).isEqualTo(DecodeOrQuarantine.RAW_PREFIX_BYTES + 500);
    assertThat((byte[]) row.get(9)).hasSize(DecodeOrQuarantine.RAW_PREFIX_BYTES + 500);
  }
}
