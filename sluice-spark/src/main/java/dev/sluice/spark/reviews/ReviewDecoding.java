package dev.sluice.spark.reviews;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import java.util.Arrays;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Decode-or-quarantine for review events, as a Spark function: every Kafka record becomes either a
 * review (with its ground truth) or a reason, never an exception.
 */
final class ReviewDecoding {
  /** How many bytes of a rejected record are kept, enough to see what was wrong. */
  static final int RAW_PREFIX_BYTES = 1024;

  static final StructType DECODED =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("text", DataTypes.StringType)
          .add("score", DataTypes.IntegerType)
          .add("truth", DataTypes.StringType)
          .add("reason", DataTypes.StringType)
          .add("raw_prefix", DataTypes.BinaryType)
          .add("raw_length", DataTypes.IntegerType);

  static final UserDefinedFunction DECODE =
      functions
          .udf(
              (UDF4<byte[], String, Integer, Long, Row>) ReviewDecoding::decode,
              DECODED)
          .asNonNullable();

  private ReviewDecoding() {}

  static Row decode(byte[] value, String topic, Integer partition, Long offset) {
    ReviewCodec.Decoded decoded = ReviewCodec.decode(value);
    if (!decoded.ok()) {
      byte[] raw = value == null ? new byte[0] : value;
      return RowFactory.create(
          null, null, null, null, decoded.reason(), Arrays.copyOf(raw, Math.min(raw.length, RAW_PREFIX_BYTES)), raw.length);
    }
    Review review = decoded.review();
    // An id assigned from the record's coordinates is the same on every replay of the record.
    String id = review.id() != null ? review.id() : topic + "-" + partition + "-" + offset;
    return RowFactory.create(
        id, review.text(), review.score(), review.truth().map(t -> t.wire()).orElse(null), null, null, null);
  }
}
