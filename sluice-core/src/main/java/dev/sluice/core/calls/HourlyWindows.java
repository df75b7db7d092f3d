package dev.sluice.core.calls;

import dev.sluice.core.config.Parser;
import dev.sluice.core.config.Setting;

/**
 * The calls pipeline's event-time windows: an hour of {@code call_date_time}, and how late a call
 * may arrive behind the newest one read and still count ({@code SLUICE_CALLS_LATENESS_MINUTES}).
 */
public final class HourlyWindows {
  /** The window, as Spark's {@code window} reads it. */
  public static final String WINDOW = "1 hour";

  /**
   * Dispatch records arrive nearly in order; half an hour covers a replay whose clocks or
   * partitions run a little apart, and keeps at most two hours' state per key open.
   */
  public static final Setting<Integer> LATENESS_MINUTES =
      Setting.of(
          "SLUICE_CALLS_LATENESS_MINUTES",
          Parser.intBetween(0, 7 * 24 * 60),
          "30",
          "Minutes of event time a police call may arrive behind the newest and still be counted.");

  private HourlyWindows() {}

  /** The lateness as Spark's {@code withWatermark} reads it. */
  public static String lateness(int minutes) {
    return minutes + " minutes";
  }
}
