package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.reviews.ReviewCodec;
import java.nio.charset.StandardCharsets;

class ReviewFormatsFuzzTest {

  /** A line as {@link ReviewFileReader} hands it over: decoded from valid UTF-8. */
  @FuzzTest
  @DictionaryEntries({
    "\"text\"", "\"score\"", "\"label\"", "\"id\"", "\"ts\"", "\"reviewText\"", "\"overall\"",
    "\"asin\"", "\"reviewerID\"", "\"unixReviewTime\"", "\"pos\"", "\"neg\"", "\\u0000", "\\ud800"
  })
  void convertsToAReviewThePipelineAcceptsOrSaysWhyNot(byte[] utf8) {
    String line = new String(utf8, StandardCharsets.UTF_8);

    ReviewFormats.Converted converted = ReviewFormats.convert(line);

    assertThat(converted.ok()).isNotEqualTo(converted.problem() != null);
    if (converted.ok()) {
      assertThat(converted.format()).isNotNull();
      assertThat(ReviewCodec.decode(ReviewCodec.encode(converted.review())))
          .isEqualTo(new ReviewCodec.Decoded(converted.review(), null));
    } else {
      assertThat(converted.problem()).isNotBlank();
    }
  }
}
