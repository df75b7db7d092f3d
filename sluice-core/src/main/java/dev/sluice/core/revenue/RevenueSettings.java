package dev.sluice.core.revenue;

import dev.sluice.core.config.Parser;
import dev.sluice.core.config.Setting;
import dev.sluice.core.config.Settings;
import java.util.List;
import java.util.Map;

/**
 * The revenue pipeline's settings, from the environment.
 *
 * @param watermarkSeconds how far behind the newest event time a record may arrive and still count
 *     in its minute (and be recognised as a duplicate); later ones are left out of the minutes
 */
public record RevenueSettings(int watermarkSeconds) {
  public static final Setting<Integer> WATERMARK_SECONDS =
      Setting.of(
          "SLUICE_REVENUE_WATERMARK_SECONDS",
          Parser.intBetween(1, 86_400),
          "120",
          "Seconds of event time a revenue record may arrive late and still count in its minute.");

  public static final List<Setting<?>> SETTINGS = List.of(WATERMARK_SECONDS);

  /** The settings the environment gives; bad values are recorded in {@code settings}. */
  public static RevenueSettings from(Settings settings) {
    Integer watermark = settings.get(WATERMARK_SECONDS);
    return new RevenueSettings(watermark == null ? 1 : watermark);
  }

  public static RevenueSettings defaults() {
    return from(new Settings(Map.of()));
  }
}
