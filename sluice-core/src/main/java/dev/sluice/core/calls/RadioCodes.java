package dev.sluice.core.calls;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Parser;
import dev.sluice.core.records.StorableText;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The radio codes a call's disposition is written in, each with its description ({@code HAN}
 * Handled, {@code GOA} Gone on Arrival): the published {@code radio_code.json} by default (a
 * classpath resource, see its README), or a user's file of the same form, a JSON array of {@code
 * {"disposition_code": ..., "description": ...}} objects ({@code --radio-codes FILE}).
 */
public final class RadioCodes implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a disposition outside the table is counted under. */
  public static final String UNKNOWN = "unknown";

  /** Larger files are not a code table. */
  public static final long MAX_FILE_BYTES = 1_048_576;

  public static final int MAX_CODES = 10_000;
  public static final int MAX_DESCRIPTION_CHARS = 200;

  static final String RESOURCE = "/dev/sluice/core/calls/radio_code.json";

  /** {@code ./sluice run calls --radio-codes FILE}. */
  public static final Flag<RadioCodes> FLAG =
      Flag.of(
          "--radio-codes",
          Parser.of(
              "a JSON file: an array of {\"disposition_code\": ..., \"description\": ...} objects",
              text -> read(Path.of(text))),
          null,
          "the calls pipeline's radio codes (disposition code to description) instead of the"
              + " published radio_code.json");

  /** Strict: a key given twice or content after the array is an error, not a guess. */
  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  private final LinkedHashMap<String, String> descriptions;

  private RadioCodes(LinkedHashMap<String, String> descriptions) {
    this.descriptions = descriptions;
  }

  /** The published table. */
  public static RadioCodes published() {
    try (InputStream in = RadioCodes.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      return parse(in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (Parser.Rejected e) {
      throw new IllegalStateException(RESOURCE + " is not a radio code table: " + e.reason(), e);
    }
  }

  /**
   * A user's table.
   *
   * @throws Parser.Rejected with the reason (missing, unreadable, not a JSON array, a duplicate
   *     code ...)
   */
  public static RadioCodes read(Path file) {
    byte[] bytes;
    try {
      if (Files.isDirectory(file)) {
        throw new Parser.Rejected("it is a directory");
      }
      long size = Files.size(file);
      if (size > MAX_FILE_BYTES) {
        throw new Parser.Rejected(
            "the file has " + size + " bytes, more than the limit of " + MAX_FILE_BYTES);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Parser.Rejected("no such file");
    } catch (IOException e) {
      throw new Parser.Rejected("the file cannot be read: " + e.getMessage());
    }
    return parse(bytes);
  }

  /**
   * A table from JSON.
   *
   * @throws Parser.Rejected with the reason
   */
  public static RadioCodes parse(byte[] json) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new Parser.Rejected(
          "not valid JSON: " + StorableText.replaceUnstorable(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new Parser.Rejected("not valid JSON: " + e.getMessage());
    }
    if (root == null || !root.isArray()) {
      throw new Parser.Rejected("not a JSON array");
    }
    if (root.isEmpty()) {
      throw new Parser.Rejected("the array is empty");
    }
    if (root.size() > MAX_CODES) {
      throw new Parser.Rejected(
          "the array has " + root.size() + " entries, more than the limit of " + MAX_CODES);
    }
    LinkedHashMap<String, String> descriptions = new LinkedHashMap<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode entry = root.get(i);
      String at = "entry " + (i + 1);
      if (!entry.isObject()) {
        throw new Parser.Rejected(at + " is not an object");
      }
      String code = text(entry, "disposition_code", at, PoliceCall.MAX_DISPOSITION_CHARS);
      if (!code.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
        throw new Parser.Rejected(
            at + ": disposition_code must be printable ASCII without spaces, got \"" + code + "\"");
      }
      String description = text(entry, "description", at, MAX_DESCRIPTION_CHARS);
      if (descriptions.putIfAbsent(code, description) != null) {
        throw new Parser.Rejected(at + ": duplicate disposition_code \"" + code + "\"");
      }
    }
    return new RadioCodes(descriptions);
  }

  private static String text(JsonNode entry, String field, String at, int maxChars) {
    JsonNode node = entry.get(field);
    if (node == null || node.isNull()) {
      throw new Parser.Rejected(at + " has no " + field);
    }
    if (!node.isTextual() || node.textValue().isBlank()) {
      throw new Parser.Rejected(at + ": " + field + " must be a non-blank string");
    }
    String text = node.textValue();
    if (!StorableText.storable(text)) {
      throw new Parser.Rejected(
          at + ": " + StorableText.problem(field, text).orElse(field + " cannot be stored"));
    }
    int length = text.codePointCount(0, text.length());
    if (length > maxChars) {
      throw new Parser.Rejected(
          at + ": " + field + " must have at most " + maxChars + " characters, got " + length);
    }
    return text;
  }

  /** The description of a code, or empty for a code outside the table. */
  public Optional<String> description(String code) {
    return Optional.ofNullable(descriptions.get(code));
  }

  /** The description of a code, or {@value #UNKNOWN}. */
  public String describe(String code) {
    return descriptions.getOrDefault(code, UNKNOWN);
  }

  /** Code to description, in the file's order. */
  public Map<String, String> asMap() {
    return Collections.unmodifiableMap(descriptions);
  }

  public int size() {
    return descriptions.size();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof RadioCodes codes && codes.descriptions.equals(descriptions);
  }

  @Override
  public int hashCode() {
    return descriptions.hashCode();
  }

  @Override
  public String toString() {
    Iterator<String> codes = descriptions.keySet().iterator();
    return "RadioCodes[" + size() + " codes, first " + (codes.hasNext() ? codes.next() : "-") + "]";
  }
}
