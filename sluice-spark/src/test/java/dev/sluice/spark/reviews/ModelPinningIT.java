package dev.sluice.spark.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.core.reviews.SentimentModels;
import dev.sluice.spark.TestData;
import dev.sluice.spark.TestModels;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.spark.testing.TopicWriter;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A pipeline keeps the model its batches were scored with: a model trained since is used only when
 * asked for ({@code --model}), every batch records its model in the ledger, a newest model that
 * cannot be read is skipped with a warning naming it, and asking for one is a permanent failure.
 */
class ModelPinningIT {
  static final String TOPIC = "pinned-reviews";
  static final int PER_RUN = 300;
  static final String FIRST = "20260101-000000-lr";
  static final String TRAINED_LATER = "20260102-000000-lr";
  static final String CORRUPT = "20260103-000000-lr";

  @Test
  void restartsKeepTheModelUntilAnotherIsChosen() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "pinning-");
    Path models = home.resolve("models");
    Path trained = SentimentModels.newest(TestModels.modelsDir()).orElseThrow();
    copy(trained, SentimentModels.root(models).resolve(FIRST));
    PipelineRun run =
        new PipelineRun(platform, ReviewsDefinition.NAME, home, "model_pinning", TOPIC, 100);
    List<Review> reviews = TestData.imdbReviews(12_000, 3 * PER_RUN);

    write(platform, reviews, 0);
    assertThat(run.runOnce(600)).as("log: " + run.log()).isZero();
    assertThat(models(run)).containsExactly(FIRST);

    // A model trained since does not change a restarted pipeline.
    copy(trained, SentimentModels.root(models).resolve(TRAINED_LATER));
    write(platform, reviews, 1);
    assertThat(run.runOnce(600)).as("log: " + run.log()).isZero();
    assertThat(models(run)).containsExactly(FIRST);
    assertThat(Files.readString(run.log())).contains("model " + FIRST + " loaded");

    // Asked for the newest: a damaged newest version is skipped, naming it.
    Path corrupt = SentimentModels.root(models).resolve(CORRUPT);
    copy(trained, corrupt);
    Files.writeString(corrupt.resolve("scorer.bin"), "not a scorer");
    try (Stream<Path> files = Files.walk(corrupt.resolve("pipeline"))) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.writeString(file, "damaged");
      }
    }
    write(platform, reviews, 2);
    assertThat(run.runOnce(600, List.of("--model", "newest"))).as("log: " + run.log()).isZero();
    assertThat(models(run)).containsExactly(FIRST, TRAINED_LATER);
    assertThat(Files.readString(run.log()))
        .contains("model " + CORRUPT + " cannot be read")
        .contains("skipping it");

    // Asking for the damaged one stops with a permanent failure that names it.
    assertThat(run.runOnce(600, List.of("--model", CORRUPT))).isEqualTo(3);
    assertThat(Files.readString(run.log()))
        .contains("model " + CORRUPT + " (asked for with --model) cannot be read");
    try (Connection connection = run.connect()) {
      assertThat(TableRows.count(connection, "SELECT count(*) FROM predictions"))
          .isEqualTo(3L * PER_RUN);
    }
  }

  private static void write(EmbeddedPlatform platform, List<Review> reviews, int run)
      throws Exception {
    List<byte[]> values = new ArrayList<>();
    for (Review review : reviews.subList(run * PER_RUN, (run + 1) * PER_RUN)) {
      values.add(ReviewCodec.encode(review));
    }
    TopicWriter.write(platform.kafka(), TOPIC, 2, values);
  }

  /** The models the ledger's batches were scored with, in the order first used. */
  private static List<String> models(PipelineRun run) throws Exception {
    try (Connection connection = run.connect()) {
      return TableRows.rows(
          connection, "SELECT model FROM pipeline_batches GROUP BY model ORDER BY min(seq)");
    }
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path file : files.toList()) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
