package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LatencyStatsTest {
  @Test
  void percentilesInterpolateBetweenTheNearestRanks() {
    // Sorted 10, 20, 30, 40: the median lies halfway between ranks 2 and 3, the 99th percentile
    // 97% of the way from rank 3 to 4.
    LatencyStats stats = LatencyStats.of(new double[] {40, 10, 30, 20});
    assertThat(stats.records()).isEqualTo(4);
    assertThat(stats.p50Ms()).isCloseTo(25.0, within(1e-9));
    assertThat(stats.p99Ms()).isCloseTo(39.7, within(1e-9));
    assertThat(stats.maxMs()).isEqualTo(40.0);
    assertThat(LatencyStats.of(new double[] {7}).p99Ms()).isEqualTo(7.0);
    assertThat(LatencyStats.of(new double[0])).isEqualTo(new LatencyStats(0, 0, 0, 0));
  }

  @Test
  void aRecordBelongsToTheFirstBatchThatReadPastItsOffset() {
    // Batch 0 read partition 0 up to offset 3, batch 1 nothing more of it, batch 2 up to 5.
    LatencyStats.Batches batches =
        new LatencyStats.Batches(Map.of(0, new long[] {3, 3, 5}), new double[] {1, 2, 3});
    assertThat(batches.batchOf(0, 0)).isZero();
    assertThat(batches.batchOf(0, 2)).isZero();
    assertThat(batches.batchOf(0, 3)).isEqualTo(2);
    assertThat(batches.batchOf(0, 4)).isEqualTo(2);
    assertThat(batches.batchOf(0, 5)).as("not read yet").isEqualTo(-1);
    assertThat(batches.batchOf(1, 0)).as("a partition no batch read").isEqualTo(-1);
  }
}
