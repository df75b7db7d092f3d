package dev.sluice.loadgen;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Spaces events at a fixed rate. Event {@code n} is due at {@code start + n / rate} seconds,
 * computed from the start rather than from the previous event, so rounding and late wake-ups never
 * add up to drift. After a stall longer than {@link #MAX_CATCH_UP_NANOS} (a full producer buffer, a
 * paused process) the schedule restarts from now instead of sending the missed events in one burst.
 */
public final class Pacer {
  /** Lateness up to this is caught up (short GC pauses); beyond it the missed slots are dropped. */
  static final long MAX_CATCH_UP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private static final long NANOS_PER_SECOND = 1_000_000_000L;

  /** Time source and sleep, replaceable so tests can run minutes of schedule in milliseconds. */
  interface Clock {
    long nanoTime();

    void sleepNanos(long nanos);

    Clock SYSTEM =
        new Clock() {
          @Override
          public long nanoTime() {
            return System.nanoTime();
          }

          @Override
          public void sleepNanos(long nanos) {
            LockSupport.parkNanos(nanos);
          }
        };
  }

  private final long perSecond;
  private final Clock clock;
  private long start;
  private long issued;
  private boolean started;

  /**
   * @param perSecond events per second; 0 for no limit
   */
  Pacer(long perSecond, Clock clock) {
    if (perSecond < 0) {
      throw new IllegalArgumentException("rate must be at least 0: " + perSecond);
    }
    this.perSecond = perSecond;
    this.clock = clock;
  }

  public static Pacer perSecond(long perSecond) {
    return new Pacer(perSecond, Clock.SYSTEM);
  }

  /** Waits until the next event is due. */
  public void acquire() {
    if (perSecond == 0) {
      return;
    }
    long now = clock.nanoTime();
    if (!started) {
      started = true;
      start = now;
    }
    long due = dueTime(issued);
    if (now - due > MAX_CATCH_UP_NANOS) {
      start = now;
      issued = 0;
      due = now;
    }
    while (due - now > 0) {
      clock.sleepNanos(due - now);
      now = clock.nanoTime();
    }
    issued++;
  }

  /** Start plus n / rate seconds, in exact integer arithmetic that cannot overflow for years. */
  private long dueTime(long n) {
    long seconds = n / perSecond;
    long remainder = n % perSecond;
    return start + seconds * NANOS_PER_SECOND + remainder * NANOS_PER_SECOND / perSecond;
  }
}
