package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReviewsStatusTest {

  @Test
  void lineShowsCountsLagAccuracyAndTopWords() {
    ReviewsStatus status = new ReviewsStatus(12_345, 12_000, 3, 11_000, 0.90123, List.of("film", "movie", "great", "plot", "acting"));
    assertThat(status.lag()).isEqualTo(345);
    assertThat(status.line())
        .isEqualTo(
            "reviews | in 12,345 | processed 12,000 | lag 345 | quarantined 3 | accuracy 0.901 of 11,000 | top: film, movie, great, plot, acting");
  }

  @Test
  void beforeAnyReviewThereIsNoAccuracyAndNoWords() {
    ReviewsStatus status = new ReviewsStatus(10, 0, 0, 0, null, List.of());
    assertThat(status.line()).isEqualTo("reviews | in 10 | processed 0 | lag 10 | quarantined 0 | accuracy n/a | top: -");
  }

  @Test
  void lagIsNeverNegativeWhileOffsetsAreReadBeforeTheLedger() {
    assertThat(new ReviewsStatus(5, 7, 0, 0, null, List.of()).lag()).isZero();
  }
}
