package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;
import dev.sluice.spark.stream.DecodeOrQuarantine;
import dev.sluice.spark.stream.DecodedRows;
import java.util.Arrays;
import org.apache.spark.sql.Row;

/**
 * Every Kafka record of the reviews topic becomes a row the sinks can write: the review's fields,
 * or a quarantine row whose reason a store can hold. Nothing a producer writes stops the pipeline.
 */
class ReviewDecodingFuzzTest {
  private static final ReviewDecoding DECODER = new ReviewDecoding();
  private static final int FIELDS = ReviewDecoding.FIELDS.size();

  @FuzzTest
  @DictionaryEntries({
    "\"text\"",
    "\"score\"",
    "\"label\"",
    "\"id\"",
    "\"ts\"",
    "\"pos\"",
    "\"neg\"",
    "\\u0000",
    "\\ud800",
    "\\ud83d\\ude00"
  })
  void decodesToStorableFieldsOrQuarantinesWithAStorableReason(FuzzedDataProvider data) {
    int partition = data.consumeInt(0, 1000);
    long offset = data.consumeLong(0, Long.MAX_VALUE);
    byte[] value = data.consumeBoolean() ? null : data.consumeRemainingAsBytes();

    Row row = DecodedRows.row(DECODER, value, "reviews", partition, offset);

    assertThat(row.size()).isEqualTo(FIELDS + 3);
    String reason = row.getString(FIELDS);
    if (reason == null) {
      assertThat(row.getString(ReviewDecoding.FIELDS.fieldIndex("id"))).isNotNull();
      assertThat(row.getString(ReviewDecoding.FIELDS.fieldIndex("text"))).isNotEmpty();
      for (int i = 0; i < FIELDS; i++) {
        if (row.get(i) instanceof String text) {
          assertThat(StorableText.storable(text)).as("field %d: %s", i, text).isTrue();
        }
      }
    } else {
      byte[] raw = value == null ? new byte[0] : value;
      assertThat(reason).isNotBlank();
      assertThat(StorableText.storable(reason)).as("storable: %s", reason).isTrue();
      assertThat((byte[]) row.get(FIELDS + 1))
          .isEqualTo(Arrays.copyOf(raw, Math.min(raw.length, DecodeOrQuarantine.RAW_PREFIX_BYTES)));
      assertThat(row.getInt(FIELDS + 2)).isEqualTo(raw.length);
    }
  }
}
