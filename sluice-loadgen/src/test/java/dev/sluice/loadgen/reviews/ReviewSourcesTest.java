package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewSourcesTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream problems = new ByteArrayOutputStream();
  private final PrintStream problemStream = new PrintStream(problems, true, StandardCharsets.UTF_8);

  private List<Review> onePass(ReviewSource source) {
    try (Stream<Review> reviews = source.pass()) {
      return reviews.toList();
    }
  }

  private List<String> reportedLines() {
    return problems.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void mixedFormatsAreReadAndBadLinesReportedWithFileAndLineNumber() throws IOException {
    Path file = dir.resolve("reviews.jsonl");
    Files.writeString(
        file,
        String.join(
                "\n",
                "{\"text\":\"good\",\"score\":5}",
                "not json",
                "",
                "{\"id\":\"x1\",\"text\":\"bad\",\"label\":\"neg\"}\r",
                "{\"text\":\"too good\",\"score\":7}",
                "   ",
                "{\"reviewText\":\"fine\",\"overall\":4.0,\"asin\":\"B1\",\"reviewerID\":\"R1\"}",
                "{\"comment\":\"what\"}")
            + "\n");
    ReviewSource source = ReviewSources.file(file, problemStream);

    List<Review> reviews = onePass(source);

    assertThat(reviews).extracting(Review::text).containsExactly("good", "bad", "fine");
    assertThat(reviews).extracting(Review::id).containsExactly(null, "x1", "amazon-B1-R1");
    assertThat(source.skipped()).isEqualTo(3);
    assertThat(reportedLines())
        .hasSize(3)
        .satisfies(
            lines -> {
              assertThat(lines.get(0)).startsWith(file + ":2: not valid JSON");
              assertThat(lines.get(1))
                  .isEqualTo(file + ":5: score must be a whole number from 1 to 5, got 7");
              assertThat(lines.get(2)).isEqualTo(file + ":8: " + ReviewFormats.UNKNOWN_FORMAT);
            });
    assertThat(source.size()).isEmpty();
  }

  @Test
  void laterPassesReadTheSameReviewsWithoutReportingAgain() throws IOException {
    Path file = dir.resolve("r.jsonl");
    Files.writeString(
        file, "{\"text\":\"a\",\"score\":1}\n{\"text\":5}\n{\"text\":\"b\",\"score\":2}");
    ReviewSource source = ReviewSources.file(file, problemStream);

    List<Review> first = onePass(source);
    List<Review> second = onePass(source);

    assertThat(second).isEqualTo(first).hasSize(2);
    assertThat(source.skipped()).isEqualTo(1);
    assertThat(reportedLines()).containsExactly(file + ":2: text must be a string, got a number");
  }

  @Test
  void invalidUtf8AndByteOrderMarkAndNonAsciiText() throws IOException {
    Path file = dir.resolve("utf8.jsonl");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf});
    bytes.write(
        "{\"text\":\"Großartig — 最高 😀\",\"label\":\"pos\"}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("{\"text\":\"caf".getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xe9}); // Latin-1 é: not UTF-8
    bytes.write("\",\"label\":\"pos\"}\n".getBytes(StandardCharsets.UTF_8));
    Files.write(file, bytes.toByteArray());
    ReviewSource source = ReviewSources.file(file, problemStream);

    assertThat(onePass(source)).extracting(Review::text).containsExactly("Großartig — 最高 😀");
    assertThat(reportedLines()).containsExactly(file + ":2: not valid UTF-8 text");
  }

  @Test
  void overlongLinesAreSkippedAndTheNextLineIsStillRead() throws IOException {
    Path file = dir.resolve("long.jsonl");
    String huge = "{\"text\":\"" + "x".repeat(ReviewFileReader.MAX_LINE_BYTES) + "\"}";
    Files.writeString(file, huge + "\n{\"text\":\"after\",\"score\":3}\n");
    ReviewSource source = ReviewSources.file(file, problemStream);

    assertThat(onePass(source)).extracting(Review::text).containsExactly("after");
    assertThat(reportedLines()).containsExactly(file + ":1: the line is longer than 4 MB");
  }

  @Test
  void onlyTheFirstBadLinesArePrintedButAllAreCounted() throws IOException {
    Path file = dir.resolve("junk.jsonl");
    Files.writeString(file, "junk\n".repeat(100) + "{\"text\":\"ok\"}\n");
    ReviewSource source = ReviewSources.file(file, problemStream);

    assertThat(onePass(source)).hasSize(1);
    assertThat(source.skipped()).isEqualTo(100);
    assertThat(reportedLines()).hasSize(ReviewSources.MAX_REPORTED_LINES + 1);
    assertThat(reportedLines().get(ReviewSources.MAX_REPORTED_LINES)).contains("more bad lines");
  }

  @Test
  void inMemorySourceKnowsItsSize() {
    ReviewSource source =
        ReviewSources.of(
            "two",
            List.of(new Review("a", "x", 1, null, null), new Review("b", "y", 5, null, null)));
    assertThat(source.size()).hasValue(2);
    assertThat(onePass(source)).extracting(Review::id).containsExactly("a", "b");
  }
}
