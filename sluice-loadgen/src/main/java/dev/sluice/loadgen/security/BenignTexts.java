package dev.sluice.loadgen.security;

import dev.sluice.core.records.StorableText;
import dev.sluice.core.reviews.Review;
import dev.sluice.loadgen.DatasetException;
import dev.sluice.loadgen.reviews.ImdbDataset;
import dev.sluice.loadgen.reviews.ReviewSources;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The free text of ordinary requests (review forms, JSON bodies): real people's writing, so a
 * detector meets the quotes, dashes and {@code <br />} of real text. No text that holds an attack
 * payload is ever used, so the ground truth stays exact: an event is an attack exactly when the
 * truth says so.
 */
public final class BenignTexts {
  /** Enough variety for any run; loading more only costs start-up time. */
  static final int MAX_TEXTS = 2_000;

  private BenignTexts() {}

  /** The IMDB reviews (held-out ones, fetched on first use into {@code datasetsDir}). */
  public static List<String> imdb(Path datasetsDir, Collection<String> payloads) {
    try (Stream<Review> reviews =
        ReviewSources.imdbFile(ImdbDataset.ensure(datasetsDir), false).pass()) {
      return usable(reviews.map(Review::text), payloads, "the IMDB reviews");
    }
  }

  /** One text a line from a UTF-8 file. */
  public static List<String> file(Path file, Collection<String> payloads) {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return usable(lines, payloads, file.toString());
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new DatasetException("cannot read " + file + " as UTF-8 text: " + e.getMessage(), e);
    }
  }

  /**
   * Up to {@value #MAX_TEXTS} texts, each cut to {@value SensorTraffic#MAX_TEXT_CHARS} characters,
   * without blank or unstorable ones and without any that contains a payload (ignoring case).
   */
  static List<String> usable(Stream<String> texts, Collection<String> payloads, String source) {
    List<String> lowerPayloads =
        payloads.stream().map(p -> p.toLowerCase(Locale.ROOT)).distinct().toList();
    List<String> usable =
        texts
            .filter(text -> !text.isBlank() && StorableText.storable(text))
            .map(SensorTraffic::cut)
            .filter(
                text -> {
                  String lower = text.toLowerCase(Locale.ROOT);
                  return lowerPayloads.stream().noneMatch(lower::contains);
                })
            .limit(MAX_TEXTS)
            .toList();
    if (usable.isEmpty()) {
      throw new DatasetException(source + " has no text to use as ordinary request bodies");
    }
    return usable;
  }
}
