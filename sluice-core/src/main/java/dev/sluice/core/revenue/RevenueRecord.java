package dev.sluice.core.revenue;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * One state of an id, as records on topic {@value #TOPIC} carry it: the same id arrives again and
 * again with updated values, late, duplicated and out of order, and the latest by {@link
 * #version()} wins.
 *
 * @param id the id as text: a JSON string as given, a JSON integer in decimal digits ({@code 42}
 *     and {@code "42"} name the same id)
 * @param numericId whether the id came as a JSON integer, so that results give it back the same way
 * @param revenueUnits the revenue in ten-thousandths ({@value #SCALE} decimal places): exact, and
 *     summed as whole numbers
 * @param revenueCounter a non-negative count the record carries
 * @param timestamp epoch milliseconds, the record's event time
 */
public record RevenueRecord(
    String id, boolean numericId, long revenueUnits, long revenueCounter, long timestamp) {
  public static final String TOPIC = "revenue";

  /** Decimal places a revenue may have: ten-thousandths of a currency unit. */
  public static final int SCALE = 4;

  /** Revenues are below this in absolute value, so that units fit 17 digits and sums fit a long. */
  public static final BigDecimal MAX_REVENUE_EXCLUSIVE = BigDecimal.TEN.pow(12);

  /** The last millisecond of the year 9999: later times do not fit a SQL timestamp. */
  public static final long MAX_TIMESTAMP = 253_402_300_799_999L;

  public static final int MAX_ID_CHARS = 200;

  private static final long UNITS_OFFSET = 10_000_000_000_000_000L; // 10^16 > every |units|

  public RevenueRecord {
    if (id == null || id.isEmpty()) {
      throw new IllegalArgumentException("an id is required");
    }
    if (revenueCounter < 0) {
      throw new IllegalArgumentException("revenue_counter must be at least 0: " + revenueCounter);
    }
    if (timestamp < 0 || timestamp > MAX_TIMESTAMP) {
      throw new IllegalArgumentException("timestamp out of range: " + timestamp);
    }
    if (Math.abs(revenueUnits) >= UNITS_OFFSET) {
      throw new IllegalArgumentException("revenue out of range: " + revenueUnits + " units");
    }
  }

  /** The revenue as an exact decimal, without trailing zeros ({@code 12.5}, {@code 100}). */
  public BigDecimal revenue() {
    BigDecimal exact = BigDecimal.valueOf(revenueUnits, SCALE).stripTrailingZeros();
    return exact.scale() < 0 ? exact.setScale(0) : exact;
  }

  /**
   * What orders two states of one id, as a string compared character by character: the timestamp,
   * then {@code revenue_counter}, then the revenue, then the id's form (a string before an
   * integer), each in fixed-width digits. Equal versions are equal records, so which of two records
   * wins never depends on the order they arrive in: a replay or a reordering changes nothing. Redis
   * compares it in one Lua string comparison.
   */
  public String version() {
    return String.format(
        Locale.ROOT,
        "%015d.%019d.%017d.%d",
        timestamp,
        revenueCounter,
        revenueUnits + UNITS_OFFSET,
        numericId ? 1 : 0);
  }
}
