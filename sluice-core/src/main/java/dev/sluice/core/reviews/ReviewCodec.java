package dev.sluice.core.reviews;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.records.StorableText;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Decodes review events and says exactly why a record is rejected. Decoding never throws: a bad
 * record becomes a {@link Decoded} with a reason, so the pipeline can quarantine it and go on. JSON
 * is read by {@link JsonRecords}, so a value no store can hold is rejected here, by the API and by
 * the pipeline alike.
 */
public final class ReviewCodec {
  private ReviewCodec() {}

  /** A decoded record: exactly one of {@code review} and {@code reason} is set. */
  public record Decoded(Review review, String reason) {
    public boolean ok() {
      return review != null;
    }
  }

  public static Decoded decode(byte[] value) {
    JsonRecords.Parsed parsed = JsonRecords.parse(value);
    return parsed.ok() ? decode(parsed.object()) : rejected(parsed.reason());
  }

  public static Decoded decode(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates an already parsed JSON value against the review schema. */
  public static Decoded decode(JsonNode root) {
    JsonRecords.Parsed parsed = JsonRecords.check(root);
    if (!parsed.ok()) {
      return rejected(parsed.reason());
    }
    JsonNode textNode = root.get("text");
    if (textNode == null || textNode.isNull()) {
      return rejected("text is missing");
    }
    if (!textNode.isTextual()) {
      return rejected("text must be a string, got " + kind(textNode));
    }
    String text = textNode.textValue();
    int length = text.codePointCount(0, text.length());
    if (length < 1) {
      return rejected("text is empty");
    }
    if (length > Review.MAX_TEXT_CHARS) {
      return rejected(
          "text has " + length + " characters, more than the limit of " + Review.MAX_TEXT_CHARS);
    }

    String id = null;
    JsonNode idNode = root.get("id");
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isTextual()) {
        return rejected("id must be a string, got " + kind(idNode));
      }
      id = idNode.textValue();
      if (id.isEmpty() || id.length() > Review.MAX_ID_CHARS) {
        return rejected("id must have 1 to " + Review.MAX_ID_CHARS + " characters");
      }
    }

    Integer score = null;
    JsonNode scoreNode = root.get("score");
    if (scoreNode != null && !scoreNode.isNull()) {
      if (!scoreNode.isIntegralNumber() || !scoreNode.canConvertToInt()) {
        return rejected(
            "score must be a whole number from 1 to 5, got "
                + kind(scoreNode)
                + " "
                + abbreviate(scoreNode.toString()));
      }
      score = scoreNode.intValue();
      if (score < 1 || score > 5) {
        return rejected("score must be a whole number from 1 to 5, got " + score);
      }
    }

    Sentiment label = null;
    JsonNode labelNode = root.get("label");
    if (labelNode != null && !labelNode.isNull()) {
      if (!labelNode.isTextual()) {
        return rejected("label must be \"pos\" or \"neg\", got " + kind(labelNode));
      }
      label = Sentiment.fromWire(labelNode.textValue()).orElse(null);
      if (label == null) {
        return rejected(
            "label must be \"pos\" or \"neg\", got \"" + abbreviate(labelNode.textValue()) + "\"");
      }
    }

    Long ts = null;
    JsonNode tsNode = root.get("ts");
    if (tsNode != null && !tsNode.isNull()) {
      if (!tsNode.isIntegralNumber() || !tsNode.canConvertToLong() || tsNode.longValue() < 0) {
        return rejected(
            "ts must be epoch milliseconds (a whole number of at least 0), got "
                + abbreviate(tsNode.toString()));
      }
      ts = tsNode.longValue();
    }
    return new Decoded(new Review(id, text, score, label, ts), null);
  }

  /** The wire form of a review: only the fields that are set. */
  public static byte[] encode(Review review) {
    ObjectNode node = JsonRecords.newObject();
    if (review.id() != null) {
      node.put("id", review.id());
    }
    node.put("text", review.text());
    if (review.score() != null) {
      node.put("score", review.score());
    }
    if (review.label() != null) {
      node.put("label", review.label().wire());
    }
    if (review.ts() != null) {
      node.put("ts", review.ts());
    }
    return JsonRecords.write(node);
  }

  private static Decoded rejected(String reason) {
    return new Decoded(null, reason);
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case NUMBER -> "a number";
      case STRING -> "a string";
      case BOOLEAN -> "a boolean";
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String abbreviate(String text) {
    return StorableText.abbreviate(text, 40);
  }
}
