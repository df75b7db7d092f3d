package dev.sluice.loadgen;

import dev.sluice.core.process.Schedulers;
import java.io.PrintStream;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A producer's progress on standard error: every {@value #EVERY_SECONDS} s, a line with how many
 * records Kafka has acknowledged and at what rate since the line before.
 */
public final class ProgressLines {
  /** Often enough to see a run move, rarely enough to read. */
  public static final long EVERY_SECONDS = 2;

  private ProgressLines() {}

  /** What a line says, from the count so far and its rate since the previous line. */
  @FunctionalInterface
  public interface Line {
    String of(long count, long perSecond);
  }

  /**
   * Starts printing; shut the returned scheduler down when the sends end.
   *
   * @param count what the lines count, such as the records acknowledged so far
   */
  public static ScheduledExecutorService start(
      String name, LongSupplier count, Line line, PrintStream err) {
    ScheduledExecutorService timer = Schedulers.daemon(name + "-progress");
    long[] last = {System.nanoTime(), 0};
    timer.scheduleAtFixedRate(
        () -> {
          long now = System.nanoTime();
          long counted = count.getAsLong();
          double perSecond = (counted - last[1]) / ((now - last[0]) / 1e9);
          last[0] = now;
          last[1] = counted;
          err.println(line.of(counted, Math.round(perSecond)));
        },
        EVERY_SECONDS,
        EVERY_SECONDS,
        TimeUnit.SECONDS);
    return timer;
  }
}
