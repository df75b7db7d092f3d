package dev.sluice.core.revenue;

import static dev.sluice.core.records.JsonFields.given;
import static dev.sluice.core.records.JsonFields.quote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonFields;
import dev.sluice.core.records.JsonFields.Rejection;
import dev.sluice.core.records.JsonRecords;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Decodes revenue records, {@code {"id": ..., "revenue": ..., "revenue_counter": ..., "timestamp":
 * ...}}, and says exactly why a record is rejected. Decoding never throws: a bad record becomes a
 * {@link Decoded} with a reason, so the pipeline can quarantine it and go on. Other fields are
 * ignored.
 *
 * <ul>
 *   <li>{@code id}: a string of 1 to {@value RevenueRecord#MAX_ID_CHARS} characters without control
 *       characters, or a whole number that fits 64 bits;
 *   <li>{@code revenue}: a decimal amount, as a JSON number or a string of one ({@code "12.50"}),
 *       with at most {@value RevenueRecord#SCALE} decimal places and below 10<sup>12</sup> in
 *       absolute value; never rounded;
 *   <li>{@code revenue_counter}: a whole number of at least 0;
 *   <li>{@code timestamp}: epoch milliseconds, or an ISO-8601 date-time with its offset ({@code
 *       2026-11-30T16:00:00Z}, {@code 2026-11-30T08:00:00.250-08:00}); finer than a millisecond is
 *       truncated to the millisecond.
 * </ul>
 */
public final class RevenueCodec {
  private RevenueCodec() {}

  /** A decoded record: exactly one of {@code record} and {@code reason} is set. */
  public record Decoded(RevenueRecord record, String reason) {
    public boolean ok() {
      return record != null;
    }
  }

  public static Decoded decode(byte[] value) {
    JsonRecords.Parsed parsed = JsonRecords.parse(value);
    return parsed.ok() ? decode(parsed.object()) : rejected(parsed.reason());
  }

  public static Decoded decode(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates an already parsed JSON value against the revenue record's schema. */
  public static Decoded decode(JsonNode root) {
    JsonRecords.Parsed parsed = JsonRecords.check(root);
    if (!parsed.ok()) {
      return rejected(parsed.reason());
    }
    try {
      JsonNode id = JsonFields.required(root, "id");
      long units = revenueUnits(JsonFields.required(root, "revenue"));
      long counter = counter(JsonFields.required(root, "revenue_counter"));
      long timestamp = timestamp(JsonFields.required(root, "timestamp"));
      return new Decoded(new RevenueRecord(id(id), id.isNumber(), units, counter, timestamp), null);
    } catch (Rejection e) {
      return rejected(e.getMessage());
    }
  }

  /** The wire form: the id as it came (string or number), the revenue as a plain decimal. */
  public static ObjectNode toJson(RevenueRecord record) {
    ObjectNode node = JsonRecords.newObject();
    if (record.numericId()) {
      node.put("id", Long.parseLong(record.id()));
    } else {
      node.put("id", record.id());
    }
    node.put("revenue", record.revenue());
    node.put("revenue_counter", record.revenueCounter());
    node.put("timestamp", record.timestamp());
    return node;
  }

  public static byte[] encode(RevenueRecord record) {
    return JsonRecords.write(toJson(record));
  }

  private static String id(JsonNode node) throws Rejection {
    if (node.isTextual()) {
      String id = node.textValue();
      int chars = id.codePointCount(0, id.length());
      if (chars < 1 || chars > RevenueRecord.MAX_ID_CHARS) {
        throw new Rejection(
            "id must have 1 to " + RevenueRecord.MAX_ID_CHARS + " characters, got " + chars);
      }
      for (int i = 0; i < id.length(); i++) {
        if (Character.isISOControl(id.charAt(i))) {
          throw new Rejection("id must not contain control characters, got " + quote(id));
        }
      }
      return id;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Long.toString(node.longValue());
    }
    throw new Rejection(
        "id must be a string or a whole number that fits 64 bits, got " + given(node));
  }

  private static long revenueUnits(JsonNode node) throws Rejection {
    BigDecimal amount;
    if (node.isNumber()) {
      amount = node.decimalValue();
    } else if (node.isTextual()) {
      try {
        amount = new BigDecimal(node.textValue().strip());
      } catch (NumberFormatException e) {
        throw new Rejection(
            "revenue must be a decimal amount such as 12.50, got " + quote(node.textValue()));
      }
    } else {
      throw new Rejection(
          "revenue must be a decimal amount (a number, or a string such as \"12.50\"), got "
              + given(node));
    }
    if (amount.abs().compareTo(RevenueRecord.MAX_REVENUE_EXCLUSIVE) >= 0) {
      throw new Rejection(
          "revenue must be below 10^12 in absolute value, got " + amount.toPlainString());
    }
    BigDecimal exact = amount.stripTrailingZeros();
    if (exact.scale() > RevenueRecord.SCALE) {
      throw new Rejection(
          "revenue must have at most "
              + RevenueRecord.SCALE
              + " decimal places (it is never rounded), got "
              + amount.toPlainString());
    }
    return exact.movePointRight(RevenueRecord.SCALE).longValueExact();
  }

  private static long counter(JsonNode node) throws Rejection {
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
      throw new Rejection(
          "revenue_counter must be a whole number of at least 0, got " + given(node));
    }
    return node.longValue();
  }

  private static long timestamp(JsonNode node) throws Rejection {
    if (node.isIntegralNumber()) {
      if (node.canConvertToLong()
          && node.longValue() >= 0
          && node.longValue() <= RevenueRecord.MAX_TIMESTAMP) {
        return node.longValue();
      }
      throw new Rejection(
          "timestamp must be epoch milliseconds from 0 to "
              + RevenueRecord.MAX_TIMESTAMP
              + " (the end of year 9999), got "
              + given(node));
    }
    if (node.isTextual()) {
      String text = node.textValue().strip();
      Instant instant;
      try {
        instant = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeException e) {
        throw new Rejection(
            "timestamp must be epoch milliseconds or an ISO-8601 date-time with its offset,"
                + " such as 2026-11-30T16:00:00Z, got "
                + quote(text));
      }
      long millis;
      try {
        millis = instant.toEpochMilli();
      } catch (ArithmeticException e) {
        millis = -1;
      }
      if (millis < 0 || millis > RevenueRecord.MAX_TIMESTAMP) {
        throw new Rejection(
            "timestamp must be from 1970-01-01T00:00:00Z to the end of year 9999, got "
                + quote(text));
      }
      return millis;
    }
    throw new Rejection(
        "timestamp must be epoch milliseconds or an ISO-8601 date-time string, got " + given(node));
  }

  private static Decoded rejected(String reason) {
    return new Decoded(null, reason);
  }
}
