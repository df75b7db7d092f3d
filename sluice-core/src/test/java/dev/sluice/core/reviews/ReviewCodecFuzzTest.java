package dev.sluice.core.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;

class ReviewCodecFuzzTest {

  @FuzzTest
  void decodesToAReviewThatRoundTripsOrRejectsWithAStorableReason(byte[] value) {
    ReviewCodec.Decoded decoded = ReviewCodec.decode(value);

    assertThat(decoded.ok()).isNotEqualTo(decoded.reason() != null);
    if (decoded.ok()) {
      Review review = decoded.review();
      assertThat(StorableText.storable(review.text())).isTrue();
      assertThat(review.text().codePointCount(0, review.text().length()))
          .isBetween(1, Review.MAX_TEXT_CHARS);
      if (review.id() != null) {
        assertThat(StorableText.storable(review.id())).isTrue();
      }
      assertThat(ReviewCodec.decode(ReviewCodec.encode(review)))
          .isEqualTo(new ReviewCodec.Decoded(review, null));
    } else {
      assertThat(decoded.reason()).isNotBlank();
      assertThat(StorableText.storable(decoded.reason()))
          .as("storable: %s", decoded.reason())
          .isTrue();
    }
  }
}
