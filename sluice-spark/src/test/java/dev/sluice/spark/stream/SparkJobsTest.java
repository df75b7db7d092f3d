package dev.sluice.spark.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class SparkJobsTest {
  @Test
  void runsTheJobsAtOnce() {
    CountDownLatch bothStarted = new CountDownLatch(2);
    AtomicBoolean overlapped = new AtomicBoolean(true);
    Runnable job =
        () -> {
          bothStarted.countDown();
          try {
            // Run one after the other, each would wait here in vain.
            overlapped.compareAndSet(true, bothStarted.await(10, TimeUnit.SECONDS));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        };
    SparkJobs.inParallel(job, job);
    assertThat(overlapped).isTrue();
  }

  @Test
  void throwsTheFailureOnlyAfterTheOtherJobsEnded() {
    AtomicBoolean slowJobEnded = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                SparkJobs.inParallel(
                    () -> {
                      throw new IllegalArgumentException("bad batch");
                    },
                    () -> {
                      try {
                        Thread.sleep(300);
                      } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                      }
                      slowJobEnded.set(true);
                    }))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad batch");
    assertThat(slowJobEnded).isTrue();
  }
}
