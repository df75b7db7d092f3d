package dev.sluice.spark;

import dev.sluice.core.process.SluiceModules;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.loadgen.reviews.ImdbDataset;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Real inputs for tests: the IMDB reviews, fetched once into the checkout's default SLUICE_HOME.
 */
public final class TestData {
  private TestData() {}

  public static Path imdb() {
    return ImdbDataset.ensure(SluiceModules.locate().root().resolve(".sluice").resolve("datasets"));
  }

  /**
   * {@code count} IMDB reviews from position {@code from} of the dataset with its classes
   * interleaved (negative, positive, negative, ...): the file holds all negative reviews first.
   */
  public static List<Review> imdbReviews(int from, int count) {
    List<String> lines;
    try {
      lines = Files.readAllLines(imdb());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    int half = lines.size() / 2;
    return IntStream.range(from, from + count)
        .mapToObj(i -> lines.get(i % 2 == 0 ? i / 2 : half + i / 2))
        .map(line -> ReviewCodec.decode(line).review())
        .toList();
  }

  /** Records that must be quarantined, each with a word its reason must contain. */
  public static final List<String[]> MALFORMED =
      List.of(
          new String[] {"this is not json", "JSON"},
          new String[] {"{\"text\": \"\"}", "empty"},
          new String[] {"{\"score\": 5}", "text is missing"},
          new String[] {"{\"text\": \"fine\", \"score\": 9}", "score"},
          new String[] {"{\"text\": \"fine\", \"label\": \"great\"}", "label"},
          new String[] {"[1, 2, 3]", "object"});
}
