package dev.sluice.core.records;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * How a decoder reads one field of a JSON record and words its rejection: which field, what was
 * expected, what was given, with the given value abbreviated. A decoder throws {@link Rejection}
 * from its field checks and turns it into its record's reason.
 */
public final class JsonFields {
  /** How much of a rejected value a reason quotes. */
  public static final int QUOTE_CHARS = 40;

  private JsonFields() {}

  /** Leaves a record's field checks with the reason it is rejected; carries no stack trace. */
  public static final class Rejection extends Exception {
    private static final long serialVersionUID = 1L;

    public Rejection(String reason) {
      super(reason, null, false, false);
    }
  }

  /** The field, or null when it is absent or JSON {@code null}. */
  public static JsonNode optional(JsonNode root, String field) {
    JsonNode node = root.get(field);
    return node == null || node.isNull() ? null : node;
  }

  /** The field; absent or {@code null} is rejected as missing. */
  public static JsonNode required(JsonNode root, String field) throws Rejection {
    JsonNode node = optional(root, field);
    if (node == null) {
      throw new Rejection(field + " is missing");
    }
    return node;
  }

  /** A value as JSON; a decimal as written in plain digits, not as Jackson normalizes it (8E+1). */
  public static String json(JsonNode node) {
    String text = node.isBigDecimal() ? node.decimalValue().toPlainString() : node.toString();
    return StorableText.abbreviate(text, QUOTE_CHARS);
  }

  /** A string quoted for a reason, abbreviated. */
  public static String quote(String text) {
    return "\"" + StorableText.abbreviate(text, QUOTE_CHARS) + "\"";
  }

  /** What kind of JSON value was given, in words: "a decimal number", "an array". */
  public static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case NUMBER -> node.isFloatingPointNumber() ? "a decimal number" : "a number";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  /** What was given, for a reason: its kind and the value, e.g. {@code a boolean true}. */
  public static String given(JsonNode node) {
    return kind(node) + " " + json(node);
  }
}
