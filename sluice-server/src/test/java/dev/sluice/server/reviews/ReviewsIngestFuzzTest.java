package dev.sluice.server.reviews;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.records.StorableText;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.server.Json;
import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.RecordIngest;
import java.io.IOException;
import java.net.URI;

/** The body of {@code POST /api/reviews}, judged by the rules the pipeline decodes with. */
class ReviewsIngestFuzzTest {

  @FuzzTest
  @DictionaryEntries({
    "\"text\"", "\"score\"", "\"label\"", "\"id\"", "\"ts\"", "\"pos\"", "\"neg\"", "\\u0000",
    "\\ud800", "\\ud83d\\ude00", " ", "/", "+", "%", "?", "#"
  })
  void producesWhatThePipelineDecodesOrAnswers400WithItsReason(byte[] body) throws IOException {
    ReviewCodec.Decoded given = ReviewCodec.decode(body);

    RecordIngest.Accepted accepted;
    try {
      accepted = ReviewsServerPart.decode(body);
    } catch (Problem problem) {
      assertThat(problem.status()).isEqualTo(400);
      assertThat(problem.detail()).isEqualTo(given.reason());
      assertThat(StorableText.storable(problem.detail())).isTrue();
      assertThat(Json.MAPPER.readTree(problem.body()).get("detail").textValue())
          .isEqualTo(problem.detail());
      return;
    }

    Review review = given.review();
    assertThat(accepted.id()).isNotEmpty().isEqualTo(accepted.key());
    assertThat(ReviewCodec.decode(accepted.value()).review())
        .isEqualTo(review.id() == null ? review.withId(accepted.id()) : review);
    // The Location header must lead to this review's prediction: its path names the id exactly.
    assertThat(URI.create(accepted.location()).getPath())
        .isEqualTo("/api/predictions/" + accepted.id());
    assertThat(accepted.location().getBytes(UTF_8)).hasSize(accepted.location().length());
  }
}
