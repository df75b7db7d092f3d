package dev.sluice.bench.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.bench.BenchRecord;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.PipelineBenchmark;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReviewsBenchmarkTest {
  @Test
  void theReviewsDefinitionNamesThisPart() {
    PipelineDefinition reviews = Pipelines.registered().require(ReviewsDefinition.NAME);
    assertThat(Pipelines.part(reviews, reviews.benchmark().orElseThrow(), PipelineBenchmark.class))
        .isInstanceOf(ReviewsBenchmark.class);
  }

  @Test
  void reviewsAreCycledWithFreshIdsAndTheirOwnText() {
    List<Review> reviews =
        List.of(
            new Review("imdb-1", "Très bon film, « magnifique »", 5, null, null),
            new Review("imdb-2", "Dull.", 1, null, null));
    CycledReviews cycled = new CycledReviews(reviews, "two reviews");
    assertThat(cycled.description()).isEqualTo("2 two reviews, cycled with fresh ids");

    List<BenchRecord> records = take(cycled.iterator(), 5);
    assertThat(records)
        .extracting(BenchRecord::key)
        .containsExactly("imdb-1", "imdb-2", "imdb-1~2", "imdb-2~2", "imdb-1~3");
    for (BenchRecord record : records) {
      Review decoded = ReviewCodec.decode(record.value()).review();
      assertThat(decoded.id()).isEqualTo(record.key());
      assertThat(decoded.text())
          .isEqualTo(record.key().startsWith("imdb-1") ? reviews.get(0).text() : "Dull.");
    }
    assertThat(take(cycled.iterator(), 1).get(0).key())
        .as("each call starts over")
        .isEqualTo("imdb-1");
  }

  @Test
  void thePlainLoopCountsTheWordsOfValidReviewsAndSkipsTheRest() {
    WordCounting thread = new ReviewsBenchmark().plainLoopThread(null);
    thread.accept(null, ReviewCodec.encode(new Review("a", "Good film, good plot", 4, null, null)));
    thread.accept(null, "not json".getBytes(StandardCharsets.UTF_8));
    assertThat(thread.counts()).containsEntry("good", 2L).containsEntry("film", 1L);
    assertThat(thread.quarantined()).isEqualTo(1);
  }

  @Test
  void differingWordCountsMakeTheRunInvalid() {
    Map<String, Long> pipeline = new HashMap<>(Map.of("film", 3L, "good", 2L));
    Map<String, Long> plainLoop = new HashMap<>(Map.of("film", 3L, "good", 1L, "plot", 1L));
    assertThatThrownBy(() -> ReviewsBenchmark.compareWordCounts(pipeline, plainLoop))
        .isInstanceOf(InvalidRunException.class)
        .hasMessageContaining("2 words")
        .hasMessageContaining("'good': pipeline 2, plain loop 1")
        .hasMessageContaining("'plot': pipeline null, plain loop 1");
    ReviewsBenchmark.compareWordCounts(Map.of("film", 3L), new HashMap<>(Map.of("film", 3L)));
  }

  private static List<BenchRecord> take(Iterator<BenchRecord> records, int count) {
    List<BenchRecord> taken = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      taken.add(records.next());
    }
    return taken;
  }
}
