package dev.sluice.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How a watermark moves on, batch by batch: Spark's rule for late records. */
class WatermarksTest {
  private static final Duration LATENESS = Duration.ofMinutes(30);
  private static final Instant T0 = Instant.parse("2019-01-01T08:00:00Z");

  @Test
  void eachBatchIsJudgedByTheNewestEventOfTheBatchesBeforeTheLastOneMinusTheLateness() {
    // After the first batch (newest 2:50) nothing is closed yet: the next batch is judged by it
    // only once another batch has committed.
    Watermarks.Watermark first =
        new Watermarks.Watermark(T0.plusSeconds(170 * 60), Optional.empty(), 0);
    assertThat(first.closes(T0)).isFalse();

    // A second batch (newest 2:55, one late record): the watermark is now 2:50 - 30 min.
    Watermarks.Watermark second = first.after(Optional.of(T0.plusSeconds(175 * 60)), LATENESS, 1);
    assertThat(second.newestEvent()).isEqualTo(T0.plusSeconds(175 * 60));
    assertThat(second.watermark()).contains(T0.plusSeconds(140 * 60));
    assertThat(second.late()).isEqualTo(1);
    assertThat(second.closes(T0.plusSeconds(140 * 60))).as("a window ending at it").isTrue();
    assertThat(second.closes(T0.plusSeconds(140 * 60 + 1))).isFalse();

    // A batch of older events, or of none, keeps the newest; the watermark catches up with it.
    Watermarks.Watermark third = second.after(Optional.of(T0), LATENESS, 0);
    assertThat(third.newestEvent()).isEqualTo(second.newestEvent());
    assertThat(third.watermark()).contains(T0.plusSeconds(145 * 60));
    Watermarks.Watermark fourth = third.after(Optional.empty(), LATENESS, 0);
    assertThat(fourth.watermark()).contains(T0.plusSeconds(145 * 60));
    assertThat(fourth.late()).isEqualTo(1);
  }

  @Test
  void theWatermarkNeverMovesBack() {
    // A longer lateness set between runs would put it behind: it stays where it was.
    Watermarks.Watermark before = new Watermarks.Watermark(T0, Optional.of(T0.minusSeconds(60)), 0);
    Watermarks.Watermark after = before.after(Optional.empty(), Duration.ofHours(2), 0);
    assertThat(after.watermark()).contains(T0.minusSeconds(60));
  }
}
