package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class PacerTest {
  /** A clock that only moves when the pacer sleeps or the test says so. */
  private static final class FakeClock implements Pacer.Clock {
    long now = 1_000_000_000L;
    long sleeps;

    @Override
    public long nanoTime() {
      return now;
    }

    @Override
    public void sleepNanos(long nanos) {
      sleeps++;
      now += nanos + 37_000; // every wake-up is late, as a real one is
    }
  }

  @Test
  void tenMinutesAtTwoThousandPerSecondDoNotDrift() {
    FakeClock clock = new FakeClock();
    Pacer pacer = new Pacer(2000, clock);
    long start = clock.now;
    int events = 2000 * 600;
    for (int i = 0; i < events; i++) {
      pacer.acquire();
    }
    // The last event is due at 599.9995 s; late wake-ups must not accumulate.
    long expectedLast = start + TimeUnit.MILLISECONDS.toNanos(599_999) + 500_000;
    assertThat(clock.now - expectedLast).isBetween(0L, 37_000L);
  }

  @Test
  void oddRatesAreExactOverTheLongRun() {
    FakeClock clock = new FakeClock();
    Pacer pacer = new Pacer(3, clock);
    long start = clock.now;
    for (int i = 0; i < 3 * 1000 + 1; i++) {
      pacer.acquire();
    }
    assertThat(clock.now - start - TimeUnit.SECONDS.toNanos(1000)).isBetween(0L, 37_000L);
  }

  @Test
  void aPauseDoesNotCauseABurst() {
    FakeClock clock = new FakeClock();
    Pacer pacer = new Pacer(1000, clock);
    for (int i = 0; i < 100; i++) {
      pacer.acquire();
    }
    clock.now += TimeUnit.SECONDS.toNanos(5); // e.g. the producer blocked on a full buffer
    long resumed = clock.now;
    for (int i = 0; i < 101; i++) {
      pacer.acquire();
    }
    // 101 events after the pause take 100 ms at 1000/s, not an instant catch-up of 5,000.
    assertThat(clock.now - resumed)
        .isBetween(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.MILLISECONDS.toNanos(100) + 37_000);
  }

  @Test
  void shortLatenessIsCaughtUpToKeepTheAverageRate() {
    FakeClock clock = new FakeClock();
    Pacer pacer = new Pacer(1000, clock);
    long start = clock.now;
    pacer.acquire();
    clock.now += TimeUnit.MILLISECONDS.toNanos(50); // a GC pause below the catch-up limit
    for (int i = 0; i < 1000; i++) {
      pacer.acquire();
    }
    assertThat(clock.now - start)
        .isBetween(TimeUnit.SECONDS.toNanos(1), TimeUnit.SECONDS.toNanos(1) + 37_000);
  }

  @Test
  void rateZeroNeverWaits() {
    FakeClock clock = new FakeClock();
    Pacer pacer = new Pacer(0, clock);
    for (int i = 0; i < 1_000_000; i++) {
      pacer.acquire();
    }
    assertThat(clock.sleeps).isZero();
  }

  /**
   * On the real clock no permit comes before it is due, so 2,500 permits at 5,000/s take at least
   * the 499.8 ms after which the last is due: a lower bound is what pacing means, and load can only
   * add to it. How much longer they take is the machine's business, so the pacing is only waited
   * for, generously.
   */
  @Test
  void theRealClockNeverRunsAheadOfTheRate() throws Exception {
    Pacer pacer = Pacer.perSecond(5000);
    long start = System.nanoTime();
    CompletableFuture<Void> paced =
        CompletableFuture.runAsync(
            () -> {
              for (int i = 0; i < 2500; i++) {
                pacer.acquire();
              }
            });
    paced.get(2, TimeUnit.MINUTES);
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(495L);
  }
}
