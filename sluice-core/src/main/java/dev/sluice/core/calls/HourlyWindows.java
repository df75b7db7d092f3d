package dev.sluice.core.calls;

import dev.sluice.core.config.Parser;
import dev.sluice.core.config.Setting;
import java.time.Duration;

/**
 * The calls pipeline's event-time windows: an hour of {@code call_date_time}, and how late a call
 * may arrive behind the newest one read and still count ({@code SLUICE_CALLS_LATENESS_MINUTES}).
 */
public final class HourlyWindows {
  /** The window, as the calls page shows it. */
  public static final String WINDOW = "1 hour";

  /** The window's length: hours of event time, aligned to the epoch. */
  public static final Duration WINDOW_LENGTH = Duration.ofHours(1);

  /**
   * Dispatch records arrive nearly in order; half an hour covers a replay whose clocks or
   * partitions run a little apart, and keeps at most two hours open.
   */
  public static final Setting<Integer> LATENESS_MINUTES =
      Setting.of(
          "SLUICE_CALLS_LATENESS_MINUTES",
          Parser.intBetween(0, 7 * 24 * 60),
          "30",
          "Minutes of event time a police call may arrive behind the newest and still be counted.");

  private HourlyWindows() {}

  /** How far the watermark trails the newest call, from {@link #LATENESS_MINUTES}. */
  public static Duration lateness(int minutes) {
    return Duration.ofMinutes(minutes);
  }
}
