package dev.sluice.detect.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.records.JsonRecords;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Entries to evaluate, one per line of a file.
 *
 * @param name what the table calls it, e.g. {@code wfuzz SQL.txt}
 * @param attackClass the class every entry belongs to, e.g. {@code sqli}; null for benign entries
 * @param delivery how each entry is sent
 */
public record Corpus(String name, String attackClass, Delivery delivery, List<String> entries) {
  public Corpus {
    entries = List.copyOf(entries);
  }

  public boolean benign() {
    return attackClass == null;
  }

  /**
   * The non-blank lines of {@code file}, read as UTF-8 (bytes that are not UTF-8 become U+FFFD).
   * Lines are kept exactly otherwise: in an attack list {@code #} and a lone quote are payloads.
   *
   * @param skipComments whether lines starting with {@code #} are comments, as in sqlmap's lists
   * @param limit at most this many entries, taken from the top
   */
  public static List<String> lines(Path file, boolean skipComments, int limit) {
    List<String> entries = new ArrayList<>();
    try {
      String text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
      for (String line : text.split("\r?\n", -1)) {
        if (entries.size() == limit) {
          break;
        }
        if (line.isBlank() || (skipComments && line.startsWith("#"))) {
          continue;
        }
        entries.add(line);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return entries;
  }

  /**
   * The string field {@code field} of the first {@code limit} records of a JSON-lines file, such as
   * the {@code text} of reviews.
   *
   * @throws IllegalArgumentException naming the line and the problem when a record is not JSON or
   *     its field is not a string: an evaluation on a silently shorter corpus would mislead
   */
  public static List<String> jsonLinesField(Path file, String field, int limit) {
    List<String> entries = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int lineNumber = 0;
      for (String line = reader.readLine();
          line != null && entries.size() < limit;
          line = reader.readLine()) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        JsonRecords.Parsed parsed = JsonRecords.parse(line.getBytes(StandardCharsets.UTF_8));
        if (!parsed.ok()) {
          throw new IllegalArgumentException(
              file + " line " + lineNumber + " is not a JSON record: " + parsed.reason());
        }
        JsonNode value = parsed.object().get(field);
        if (value == null || !value.isTextual()) {
          throw new IllegalArgumentException(
              file + " line " + lineNumber + ": " + field + " must be a string");
        }
        entries.add(value.textValue());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    return entries;
  }
}
