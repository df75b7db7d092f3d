package dev.sluice.loadgen.reviews;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.core.records.StorableText;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import java.io.IOException;
import java.util.Set;

/**
 * Turns one line of a reviews file into a {@link Review}, detecting its format from its fields:
 *
 * <ul>
 *   <li><b>Sluice</b>: {@code {"text": ..., "score": 1..5}} or {@code {"text": ..., "label":
 *       "pos"|"neg"}}, with optional {@code id} and {@code ts} (epoch milliseconds): the wire
 *       format of the {@code reviews} topic.
 *   <li><b>Amazon</b> product reviews: {@code reviewText}, {@code overall} (a rating such as {@code
 *       5.0}), optional {@code asin}, {@code reviewerID} and {@code unixReviewTime} (epoch
 *       seconds); other fields ({@code summary}, {@code reviewerName}, ...) are ignored. The id is
 *       {@code amazon-<asin>-<reviewerID>} when both are present; otherwise the pipeline assigns
 *       one.
 * </ul>
 *
 * <p>Every converted review is checked by encoding and decoding it with {@link ReviewCodec}, so
 * only events the pipeline accepts are produced. Pure: no I/O, no state.
 */
public final class ReviewFormats {
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
          .build();
  private static final Set<String> SLUICE_FIELDS = Set.of("text", "score", "label", "id", "ts");
  private static final Set<String> AMAZON_FIELDS =
      Set.of("reviewText", "overall", "asin", "reviewerID", "unixReviewTime");
  static final String UNKNOWN_FORMAT =
      "unknown format: expected {\"text\", \"score\"}, {\"text\", \"label\"} or an Amazon review {\"reviewText\", \"overall\"}";

  private ReviewFormats() {}

  /** The detected format of a line. */
  public enum Format {
    SLUICE,
    AMAZON
  }

  /** A converted line: exactly one of {@code review} and {@code problem} is set. */
  public record Converted(Review review, Format format, String problem) {
    public boolean ok() {
      return review != null;
    }

    static Converted rejected(Format format, String problem) {
      return new Converted(null, format, problem);
    }
  }

  /** Converts one line of JSON; never throws. */
  public static Converted convert(String line) {
    JsonNode root;
    try (JsonParser parser = JSON.createParser(line)) {
      root = JSON.readTree(parser);
      if (root == null) {
        return Converted.rejected(null, "not valid JSON: the line is empty");
      }
      if (parser.nextToken() != null) {
        return Converted.rejected(null, "not valid JSON: more than one JSON value on the line");
      }
    } catch (JsonProcessingException e) {
      return Converted.rejected(null, "not valid JSON: " + firstLine(e.getOriginalMessage()));
    } catch (IOException | RuntimeException e) {
      return Converted.rejected(
          null, "not valid JSON: " + firstLine(String.valueOf(e.getMessage())));
    }
    return convert(root);
  }

  /** Converts one parsed JSON value; never throws. */
  public static Converted convert(JsonNode root) {
    if (!root.isObject()) {
      return Converted.rejected(null, "not a JSON object");
    }
    boolean amazon = hasAny(root, AMAZON_FIELDS);
    boolean sluice = hasAny(root, SLUICE_FIELDS);
    if (amazon && sluice) {
      return Converted.rejected(
          null,
          "mixes Sluice fields (text, score, label, id, ts) with Amazon fields (reviewText, overall, ...): use one format");
    }
    if (amazon) {
      return fromAmazon(root);
    }
    if (sluice) {
      return validated(Format.SLUICE, ReviewCodec.decode(root));
    }
    return Converted.rejected(null, UNKNOWN_FORMAT);
  }

  private static Converted fromAmazon(JsonNode root) {
    JsonNode textNode = root.get("reviewText");
    if (textNode == null || textNode.isNull()) {
      return Converted.rejected(Format.AMAZON, "reviewText is missing");
    }
    if (!textNode.isTextual()) {
      return Converted.rejected(Format.AMAZON, "reviewText must be a string");
    }
    JsonNode overall = root.get("overall");
    if (overall == null || overall.isNull()) {
      return Converted.rejected(Format.AMAZON, "overall is missing: expected a rating from 1 to 5");
    }
    if (!overall.isNumber()
        || overall.doubleValue() != Math.rint(overall.doubleValue())
        || overall.doubleValue() < 1
        || overall.doubleValue() > 5) {
      return Converted.rejected(
          Format.AMAZON,
          "overall must be a whole number from 1 to 5, got " + abbreviate(overall.toString()));
    }
    int score = (int) overall.doubleValue();

    for (String field : new String[] {"asin", "reviewerID"}) {
      JsonNode node = root.get(field);
      if (node != null && !node.isNull() && !(node.isTextual() && !node.textValue().isEmpty())) {
        return Converted.rejected(Format.AMAZON, field + " must be a non-empty string");
      }
    }
    String asin = root.path("asin").textValue();
    String reviewer = root.path("reviewerID").textValue();
    String id = asin != null && reviewer != null ? "amazon-" + asin + "-" + reviewer : null;

    Long ts = null;
    JsonNode time = root.get("unixReviewTime");
    if (time != null && !time.isNull()) {
      if (!time.isIntegralNumber()
          || !time.canConvertToLong()
          || time.longValue() < 0
          || time.longValue() > Long.MAX_VALUE / 1000) {
        return Converted.rejected(
            Format.AMAZON,
            "unixReviewTime must be epoch seconds (a whole number of at least 0), got "
                + abbreviate(time.toString()));
      }
      ts = time.longValue() * 1000;
    }
    Review review = new Review(id, textNode.textValue(), score, null, ts);
    return validated(Format.AMAZON, ReviewCodec.decode(ReviewCodec.encode(review)));
  }

  /** The codec's verdict after a round trip, so the produced bytes are exactly what was checked. */
  private static Converted validated(Format format, ReviewCodec.Decoded decoded) {
    if (!decoded.ok()) {
      return Converted.rejected(format, decoded.reason());
    }
    ReviewCodec.Decoded roundTrip = ReviewCodec.decode(ReviewCodec.encode(decoded.review()));
    if (!roundTrip.ok()) {
      return Converted.rejected(format, roundTrip.reason());
    }
    return new Converted(roundTrip.review(), format, null);
  }

  private static boolean hasAny(JsonNode root, Set<String> fields) {
    for (String field : fields) {
      if (root.has(field)) {
        return true;
      }
    }
    return false;
  }

  private static String firstLine(String message) {
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }

  private static String abbreviate(String text) {
    return StorableText.abbreviate(text, 40);
  }
}
