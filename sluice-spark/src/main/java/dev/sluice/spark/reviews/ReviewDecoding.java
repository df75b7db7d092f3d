package dev.sluice.spark.reviews;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.spark.stream.RecordDecoder;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** Review events ({@link ReviewCodec}) as the reviews pipeline's {@link RecordDecoder}. */
final class ReviewDecoding implements RecordDecoder {
  static final StructType FIELDS =
      new StructType()
          .add("id", DataTypes.StringType)
          .add("text", DataTypes.StringType)
          .add("score", DataTypes.IntegerType)
          .add("truth", DataTypes.StringType);

  @Override
  public StructType schema() {
    return FIELDS;
  }

  /** A review's id: its own, or one made of its Kafka coordinates (never a duplicate). */
  @Override
  public Optional<String> idField() {
    return Optional.of("id");
  }

  @Override
  public Decoded decode(byte[] value, String topic, int partition, long offset) {
    ReviewCodec.Decoded decoded = ReviewCodec.decode(value);
    if (!decoded.ok()) {
      return Decoded.rejected(decoded.reason());
    }
    Review review = decoded.review();
    // An id assigned from the record's coordinates is the same on every replay of the record.
    String id = review.id() != null ? review.id() : topic + "-" + partition + "-" + offset;
    return Decoded.of(
        id, review.text(), review.score(), review.truth().map(t -> t.wire()).orElse(null));
  }
}
