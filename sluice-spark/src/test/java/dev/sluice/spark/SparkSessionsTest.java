package dev.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.Schedulable;
import org.apache.spark.scheduler.SchedulingMode;
import org.junit.jupiter.api.Test;

/** The session every pipeline runs in, as {@link SparkSessions} builds it. */
class SparkSessionsTest {
  @Test
  void realTimeQueriesHaveAPoolThatTakesTheNextFreeSlotBeforeMicroBatches() {
    SparkContext context = SparkTestSession.get().sparkContext();

    assertThat(context.getSchedulingMode()).isEqualTo(SchedulingMode.FAIR());
    Schedulable realTime = context.getPoolForName("realtime").get();
    Schedulable microBatches = context.getPoolForName("default").get();
    assertThat(realTime.minShare()).isEqualTo(1000);
    assertThat(microBatches.minShare()).isZero();
  }
}
