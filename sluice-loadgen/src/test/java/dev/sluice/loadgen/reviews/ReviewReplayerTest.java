package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.Sentiment;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReviewReplayerTest {

  /**
   * Later passes splice the suffix into the first pass's bytes; they must equal a fresh encoding.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "imdb-123",
        "a\"quoted\"id",
        "back\\slash\\",
        "tab\there\nnewline",
        "ünïcødé-😀",
        "\u0001ctl"
      })
  void splicedIdsEqualFreshEncodings(String id) {
    Review review = new Review(id, "Text with \"quotes\" and \\ and 😀", 4, Sentiment.POS, 123L);
    byte[] spliced = ReviewReplayer.withIdSuffix(ReviewCodec.encode(review), "~17");

    assertThat(new String(spliced, StandardCharsets.UTF_8))
        .isEqualTo(
            new String(ReviewCodec.encode(review.withId(id + "~17")), StandardCharsets.UTF_8));
    assertThat(ReviewCodec.decode(spliced).review().id()).isEqualTo(id + "~17");
  }

  @Test
  void onlyEncodedReviewsWithAnIdCanBeSpliced() {
    byte[] withoutId = ReviewCodec.encode(new Review(null, "x", 1, null, null));
    assertThatThrownBy(() -> ReviewReplayer.withIdSuffix(withoutId, "~2"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
