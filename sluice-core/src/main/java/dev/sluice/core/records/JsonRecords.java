package dev.sluice.core.records;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * The one way Sluice reads a JSON record, for every pipeline's decoder and so for the API, which
 * validates with the same decoders: strict (one object, no duplicate keys, nothing after it),
 * bounded (nesting depth, string length), and storable (no string or key that a store refuses, see
 * {@link StorableText}). Never throws for bad input: the result carries the reason.
 */
public final class JsonRecords {
  /** Records are flat or nearly so; deeper nesting is an attack on the parser, not data. */
  public static final int MAX_DEPTH = 32;

  /** Longer than any record's longest field, shorter than a Kafka record may be. */
  public static final int MAX_STRING_CHARS = 1_000_000;

  private static final ObjectMapper JSON =
      JsonMapper.builder(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(MAX_DEPTH)
                          .maxStringLength(MAX_STRING_CHARS)
                          .build())
                  .build())
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE)
          // Exactly as written: as a double, 1e400 would read as Infinity and write back as the
          // string "Infinity", so an accepted record would not be the record it was.
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private JsonRecords() {}

  /** A parsed record: exactly one of {@code object} and {@code reason} is set. */
  public record Parsed(ObjectNode object, String reason) {
    public boolean ok() {
      return object != null;
    }
  }

  /** Reads one JSON object from UTF-8 bytes. */
  public static Parsed parse(byte[] value) {
    if (value == null || value.length == 0) {
      return rejected("empty record: expected a JSON object");
    }
    JsonNode root;
    try (JsonParser parser = JSON.createParser(value)) {
      root = JSON.readTree(parser);
      if (parser.nextToken() != null) {
        return rejected("not valid JSON: unexpected content after the JSON object");
      }
    } catch (StreamConstraintsException e) {
      // Jackson's own words name its API; these name the limit.
      return rejected(
          e.getMessage().contains("nesting depth")
              ? "JSON nested deeper than " + MAX_DEPTH + " levels"
              : "a JSON string longer than " + MAX_STRING_CHARS + " characters");
    } catch (JsonProcessingException e) {
      return rejected("not valid JSON: " + StorableText.replaceUnstorable(e.getOriginalMessage()));
    } catch (IOException | RuntimeException e) {
      return rejected("not valid JSON: " + StorableText.replaceUnstorable(String.valueOf(e)));
    }
    return check(root);
  }

  /** Checks an already parsed value: an object whose every key and string a store can hold. */
  public static Parsed check(JsonNode root) {
    if (root == null || !root.isObject()) {
      return rejected("not a JSON object");
    }
    Optional<String> problem = unstorable(root, "", 0);
    return problem.isPresent() ? rejected(problem.get()) : new Parsed((ObjectNode) root, null);
  }

  /** The JSON form of a tree this class produced or accepted. */
  public static byte[] write(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serializes", e);
    }
  }

  public static ObjectNode newObject() {
    return JSON.createObjectNode();
  }

  private static Optional<String> unstorable(JsonNode node, String path, int depth) {
    if (depth > MAX_DEPTH) {
      return Optional.of("JSON nested deeper than " + MAX_DEPTH + " levels");
    }
    if (node.isTextual()) {
      return StorableText.problem(path.isEmpty() ? "the value" : path, node.textValue());
    }
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        String key = field.getKey();
        if (!StorableText.storable(key)) {
          return Optional.of("a field name " + StorableText.problem("", key).orElseThrow().strip());
        }
        Optional<String> problem =
            unstorable(field.getValue(), path.isEmpty() ? key : path + "." + key, depth + 1);
        if (problem.isPresent()) {
          return problem;
        }
      }
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        Optional<String> problem = unstorable(node.get(i), path + "[" + i + "]", depth + 1);
        if (problem.isPresent()) {
          return problem;
        }
      }
    }
    return Optional.empty();
  }

  private static Parsed rejected(String reason) {
    return new Parsed(null, reason);
  }
}
