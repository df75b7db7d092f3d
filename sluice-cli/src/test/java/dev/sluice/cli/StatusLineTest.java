package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class StatusLineTest {

  @Test
  void lineShowsCountsLagAndThePipelinesOwnDetails() {
    StatusLine status =
        new StatusLine(
            "reviews", 12_345, 12_000, 3, List.of("accuracy 0.901 of 11,000", "top: film, movie"));
    assertThat(status.lag()).isEqualTo(345);
    assertThat(status.line())
        .isEqualTo(
            "reviews | in 12,345 | processed 12,000 | lag 345 | quarantined 3 | accuracy 0.901 of 11,000 | top: film, movie");
  }

  @Test
  void aPipelineWithoutDetailsShowsThePlatformsFigures() {
    assertThat(new StatusLine("calls", 10, 0, 0, List.of()).line())
        .isEqualTo("calls | in 10 | processed 0 | lag 10 | quarantined 0");
  }

  @Test
  void lagIsNeverNegativeWhileOffsetsAreReadBeforeTheLedger() {
    assertThat(new StatusLine("reviews", 5, 7, 0, List.of()).lag()).isZero();
  }
}
