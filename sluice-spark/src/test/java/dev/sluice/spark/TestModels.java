package dev.sluice.spark;

import dev.sluice.core.reviews.SentimentModels;
import dev.sluice.spark.model.Classifier;
import dev.sluice.spark.model.SentimentModel;
import dev.sluice.spark.model.SentimentTrainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A small sentiment model trained once per build on the first 4,000 IMDB reviews: good enough to
 * tell the pipeline's plumbing from noise, quick enough for tests.
 */
public final class TestModels {
  public static final int SAMPLE = 4_000;
  private static final Path MODELS = Path.of("target", "test-models").toAbsolutePath();

  private TestModels() {}

  /** The models directory holding the test model (as {@code $SLUICE_HOME/models} would). */
  public static synchronized Path modelsDir() {
    if (SentimentModels.newest(MODELS).isEmpty()) {
      SentimentTrainer.train(
          SparkTestSession.get(),
          TestData.imdb(),
          MODELS,
          new SentimentTrainer.Options(Classifier.LOGISTIC_REGRESSION, false, SAMPLE, 7));
    }
    return MODELS;
  }

  public static SentimentModel model() {
    SparkTestSession.get(); // loading a model needs a running Spark
    return SentimentModel.loadNewest(modelsDir());
  }

  /** A fresh SLUICE_HOME whose models directory is the test model's. */
  public static Path homeWithModel(String name) {
    try {
      Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), name + "-");
      Files.createSymbolicLink(home.resolve("models"), modelsDir());
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
