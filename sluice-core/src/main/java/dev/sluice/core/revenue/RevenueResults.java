package dev.sluice.core.revenue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonRecords;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * What the revenue pipeline publishes: the values of {@value RevenueDefinition#COMPUTED_TOPIC} and
 * {@value RevenueDefinition#MINUTES_TOPIC}, and the minutes it keeps in Redis ({@link
 * RevenueKeys#minutes()}). Every field follows from the records alone, never from the order they
 * arrived in, so a replay writes the same value for the same key.
 */
public final class RevenueResults {
  private RevenueResults() {}

  /**
   * An id's computed state, keyed by its id: the winning record's {@code id} (as it came, string or
   * number), {@code revenue}, {@code revenue_counter}, {@code timestamp} (epoch milliseconds), and
   * its {@code version} ({@link RevenueRecord#version()}), by which a consumer orders the states of
   * an id.
   */
  public static ObjectNode computed(RevenueRecord latest) {
    ObjectNode node = RevenueCodec.toJson(latest);
    node.put("version", latest.version());
    return node;
  }

  /**
   * One minute of event time and its figures.
   *
   * @param start epoch milliseconds of the minute's first millisecond
   * @param records records in the minute, each (id, version) once
   * @param revenueUnits the sum of their revenues in ten-thousandths, exact
   * @param ids distinct ids among them: an estimate (HyperLogLog, within about 1%)
   * @param revenueCounter the sum of their {@code revenue_counter}s
   * @param maxRevenueUnits the largest revenue among them, in ten-thousandths
   */
  public record Minute(
      long start,
      long records,
      BigDecimal revenueUnits,
      long ids,
      BigDecimal revenueCounter,
      long maxRevenueUnits) {
    /** The minute's key on {@value RevenueDefinition#MINUTES_TOPIC}: its start in ISO-8601. */
    public String key() {
      return Instant.ofEpochMilli(start).toString();
    }

    /**
     * The minute as JSON: {@code minute} (ISO-8601), {@code start} (epoch milliseconds), {@code
     * records}, {@code revenue} (exact decimal), {@code ids}, {@code revenue_counter}, {@code
     * max_revenue}.
     */
    public ObjectNode toJson() {
      ObjectNode node = JsonRecords.newObject();
      node.put("minute", key());
      node.put("start", start);
      node.put("records", records);
      node.put("revenue", amount(revenueUnits));
      node.put("ids", ids);
      node.put("revenue_counter", revenueCounter);
      node.put("max_revenue", amount(BigDecimal.valueOf(maxRevenueUnits)));
      return node;
    }

    private static BigDecimal amount(BigDecimal units) {
      BigDecimal exact = units.movePointLeft(RevenueRecord.SCALE).stripTrailingZeros();
      return exact.scale() < 0 ? exact.setScale(0) : exact;
    }
  }
}
