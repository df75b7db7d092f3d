package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flags;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewsProducerTest {
  @TempDir Path dir;

  @Test
  void defaultsReplayTheHeldOutImdbReviewsOnceAtTwoThousandPerSecond() {
    ReviewsProducer.Options options = ReviewsProducer.parse(List.of());
    assertThat(options.topic()).isEqualTo("reviews");
    assertThat(options.perSecond()).isEqualTo(2000);
    assertThat(options.count()).isEmpty();
    assertThat(options.file()).isNull();
    assertThat(options.all()).isFalse();
  }

  @Test
  void flagsAreTyped() throws IOException {
    Path file = Files.writeString(dir.resolve("r.jsonl"), "{\"text\":\"x\"}\n");
    ReviewsProducer.Options options =
        ReviewsProducer.parse(
            List.of(
                "--rate", "0", "--count", "1000000", "--file", file.toString(), "--topic", "t.1"));
    assertThat(options.perSecond()).isZero();
    assertThat(options.count()).hasValue(1_000_000);
    assertThat(options.file()).isEqualTo(file);
    assertThat(options.topic()).isEqualTo("t.1");
  }

  @Test
  void everyProblemIsReportedOnItsOwnLine() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ReviewsProducer.parse(
                    List.of("--rate", "abc", "--count", "-1", "--topic", "a b", "--fast")));
    assertThat(e.problems())
        .containsExactly(
            "--rate='abc' is not valid: expected a whole number of at least 0",
            "--count='-1' is not valid: expected a whole number of at least 1",
            "--topic='a b' is not valid: expected a Kafka topic name (1 to 249 of a-z A-Z 0-9 . _ -)",
            "unknown option --fast: expected one of --rate, --count, --file, --all, --topic");
  }

  @Test
  void fileMustExistAndExcludesAll() {
    ConfigException e =
        catchThrowableOfType(
            ConfigException.class,
            () ->
                ReviewsProducer.parse(
                    List.of("--all", "--file", dir.resolve("missing.jsonl").toString(), "extra")));
    assertThat(e.problems())
        .containsExactly(
            "unexpected argument(s) extra",
            "--all selects all IMDB reviews; it cannot be combined with --file",
            "--file='" + dir.resolve("missing.jsonl") + "' is not valid: no such file");
  }

  @Test
  void helpIsNotAnError() {
    assertThat(ReviewsProducer.parse(List.of("--help"))).isNull();
    assertThat(ReviewsProducer.parse(List.of("--rate", "abc", "-h"))).isNull();
    assertThat(Flags.usage(ReviewsProducer.SYNOPSIS, ReviewsProducer.FLAGS))
        .startsWith("usage: sluice produce reviews [options]")
        .contains("--rate <value>")
        .contains("(default 2000)")
        .contains("--all")
        .contains("--help");
  }

  @Test
  void summaryLine() {
    ReviewReplayer.Result result =
        new ReviewReplayer.Result(50_000, 0, 3, Duration.ofMillis(25_000), false, false, null);
    assertThat(ReviewsProducer.summary(result, "reviews"))
        .isEqualTo(
            "produce: sent 50,000 reviews to topic 'reviews' in 25.0 s (2,000/s), 0 failed, 3 bad lines skipped");
    ReviewReplayer.Result stopped =
        new ReviewReplayer.Result(1_234, 2, 0, Duration.ofMillis(1_000), true, false, "x");
    assertThat(ReviewsProducer.summary(stopped, "t"))
        .isEqualTo(
            "produce: interrupted: sent 1,234 reviews to topic 't' in 1.0 s (1,234/s), 2 failed");
  }
}
