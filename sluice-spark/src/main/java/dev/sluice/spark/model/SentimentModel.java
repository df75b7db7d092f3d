package dev.sluice.spark.model;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.reviews.SentimentModels;
import java.nio.file.Path;
import org.apache.spark.ml.PipelineModel;

/**
 * A trained sentiment model and its version (see {@link SentimentModels} for the layout on disk).
 */
public record SentimentModel(String version, Path path, PipelineModel pipeline) {
  static final String MODEL_DIR = "pipeline";

  public static SentimentModel loadNewest(Path modelsDir) {
    Path version =
        SentimentModels.newest(modelsDir)
            .orElseThrow(
                () ->
                    new ConfigException(
                        "no sentiment model under "
                            + SentimentModels.root(modelsDir)
                            + ": train one with './sluice train'"));
    return load(version);
  }

  public static SentimentModel load(Path version) {
    return new SentimentModel(
        version.getFileName().toString(),
        version,
        PipelineModel.load(version.resolve(MODEL_DIR).toString()));
  }
}
