package dev.sluice.core.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.records.StorableText;
import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * Decodes police calls and says exactly why a record is rejected: which field, what was expected,
 * what was given. Decoding never throws: a bad record becomes a {@link Decoded} with a reason, so
 * the pipeline quarantines it and goes on. JSON is read by {@link JsonRecords}, so no accepted
 * string holds a character a store refuses.
 *
 * <p>The dataset writes {@code call_date_time} as San Francisco wall time without an offset ({@code
 * 2018-12-31T23:57:00.000}); it is read in {@value #ZONE_NAME}. In the hour that repeats when
 * daylight saving time ends, the earlier instant is taken; a time in the hour skipped when it
 * begins moves forward by the gap ({@link LocalDateTime#atZone}'s rules).
 */
public final class PoliceCallCodec {
  public static final String ZONE_NAME = "America/Los_Angeles";
  public static final ZoneId ZONE = ZoneId.of(ZONE_NAME);

  private static final int QUOTE_CHARS = 40;

  private PoliceCallCodec() {}

  /** A decoded record: exactly one of {@code call} and {@code reason} is set. */
  public record Decoded(PoliceCall call, long callEpochMillis, String reason) {
    public boolean ok() {
      return call != null;
    }
  }

  /** Thrown inside this class only, to leave a field's checks with its reason. */
  private static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    Rejection(String reason) {
      super(reason, null, false, false);
    }
  }

  public static Decoded decode(byte[] value) {
    JsonRecords.Parsed parsed = JsonRecords.parse(value);
    return parsed.ok() ? decode(parsed.object()) : rejected(parsed.reason());
  }

  public static Decoded decode(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates an already parsed JSON value against the dataset's schema. */
  public static Decoded decode(JsonNode root) {
    JsonRecords.Parsed parsed = JsonRecords.check(root);
    if (!parsed.ok()) {
      return rejected(parsed.reason());
    }
    try {
      String crimeId = required(root, "crime_id", PoliceCall.MAX_CRIME_ID_CHARS);
      if (!crimeId.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new Rejection(
            "crime_id must be printable ASCII without spaces, got " + quote(crimeId));
      }
      String callType = required(root, "original_crime_type_name", PoliceCall.MAX_CALL_TYPE_CHARS);
      String callDateTime = required(root, "call_date_time", PoliceCall.MAX_OTHER_CHARS);
      long epochMillis = callEpochMillis(callDateTime);
      String disposition = required(root, "disposition", PoliceCall.MAX_DISPOSITION_CHARS);
      if (!disposition.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new Rejection(
            "disposition must be a radio code of printable ASCII without spaces, got "
                + quote(disposition));
      }
      PoliceCall call =
          new PoliceCall(
              crimeId,
              callType,
              optional(root, "report_date", PoliceCall.MAX_OTHER_CHARS),
              optional(root, "call_date", PoliceCall.MAX_OTHER_CHARS),
              optional(root, "offense_date", PoliceCall.MAX_OTHER_CHARS),
              optional(root, "call_time", PoliceCall.MAX_OTHER_CHARS),
              callDateTime,
              disposition,
              optional(root, "address", PoliceCall.MAX_ADDRESS_CHARS),
              optional(root, "city", PoliceCall.MAX_OTHER_CHARS),
              optional(root, "state", PoliceCall.MAX_OTHER_CHARS),
              optional(root, "agency_id", PoliceCall.MAX_OTHER_CHARS),
              optional(root, "address_type", PoliceCall.MAX_OTHER_CHARS),
              optional(root, "common_location", PoliceCall.MAX_OTHER_CHARS));
      return new Decoded(call, epochMillis, null);
    } catch (Rejection e) {
      return rejected(e.getMessage());
    }
  }

  /** The wire form of a call: the dataset's field names, only the fields that are set. */
  public static byte[] encode(PoliceCall call) {
    return JsonRecords.write(toJson(call));
  }

  /** The call as the dataset's JSON object. */
  public static ObjectNode toJson(PoliceCall call) {
    ObjectNode node = JsonRecords.newObject();
    node.put("crime_id", call.crimeId());
    node.put("original_crime_type_name", call.callType());
    putIfSet(node, "report_date", call.reportDate());
    putIfSet(node, "call_date", call.callDate());
    putIfSet(node, "offense_date", call.offenseDate());
    putIfSet(node, "call_time", call.callTime());
    node.put("call_date_time", call.callDateTime());
    node.put("disposition", call.disposition());
    putIfSet(node, "address", call.address());
    putIfSet(node, "city", call.city());
    putIfSet(node, "state", call.state());
    putIfSet(node, "agency_id", call.agencyId());
    putIfSet(node, "address_type", call.addressType());
    putIfSet(node, "common_location", call.commonLocation());
    return node;
  }

  /**
   * The instant of a {@code call_date_time}: ISO local date and time, seconds and their fraction
   * optional, read as San Francisco wall time.
   *
   * @throws IllegalArgumentException with the reason when it is not one
   */
  public static long epochMillis(String callDateTime) {
    try {
      return callEpochMillis(callDateTime);
    } catch (Rejection e) {
      throw new IllegalArgumentException(e.getMessage());
    }
  }

  /** The wall time in San Francisco of an instant, as the dataset writes it. */
  public static String callDateTime(long epochMillis) {
    return WALL_TIME.format(
        LocalDateTime.ofInstant(java.time.Instant.ofEpochMilli(epochMillis), ZONE));
  }

  private static final DateTimeFormatter WALL_TIME =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS", Locale.ROOT);

  private static long callEpochMillis(String text) throws Rejection {
    LocalDateTime local;
    try {
      local = LocalDateTime.parse(text, DateTimeFormatter.ISO_LOCAL_DATE_TIME);
    } catch (DateTimeParseException e) {
      throw new Rejection(
          "call_date_time must be a local date and time like 2018-12-31T23:57:00.000"
              + " (San Francisco time, no offset), got "
              + quote(text));
    }
    if (local.getYear() < 1900 || local.getYear() > 9999) {
      throw new Rejection("call_date_time must be in the years 1900 to 9999, got " + quote(text));
    }
    return local.atZone(ZONE).toInstant().toEpochMilli();
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String required(JsonNode root, String field, int maxChars) throws Rejection {
    String text = optional(root, field, maxChars);
    if (text == null) {
      throw new Rejection(field + " is missing");
    }
    if (text.isBlank()) {
      throw new Rejection(field + " must not be blank");
    }
    return text;
  }

  private static String optional(JsonNode root, String field, int maxChars) throws Rejection {
    JsonNode node = root.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      throw new Rejection(
          field + " must be a string (the dataset writes every field as one), got " + kind(node));
    }
    String text = node.textValue();
    int length = text.codePointCount(0, text.length());
    if (length > maxChars) {
      throw new Rejection(field + " must have at most " + maxChars + " characters, got " + length);
    }
    return text;
  }

  private static Decoded rejected(String reason) {
    return new Decoded(null, 0, reason);
  }

  private static String quote(String text) {
    return "\"" + StorableText.abbreviate(text, QUOTE_CHARS) + "\"";
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
