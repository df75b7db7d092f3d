package dev.sluice.spark.model;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.process.PermanentFailure;
import dev.sluice.core.reviews.SentimentModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.apache.spark.ml.PipelineModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trained sentiment model and its version (see {@link SentimentModels} for the layout on disk).
 *
 * <p>Most models fold into a {@link LinearScorer}, kept beside the model in {@value #SCORER_FILE}:
 * reading it takes milliseconds, where loading the MLlib model runs Spark jobs for seconds, the
 * largest part of a pipeline's start. The MLlib model is loaded only when something asks for it.
 */
public final class SentimentModel {
  private static final Logger log = LoggerFactory.getLogger(SentimentModel.class);
  static final String MODEL_DIR = "pipeline";
  static final String SCORER_FILE = "scorer.bin";

  private final String version;
  private final Path path;
  private PipelineModel pipeline;

  private SentimentModel(String version, Path path, PipelineModel pipeline) {
    this.version = version;
    this.path = path;
    this.pipeline = pipeline;
  }

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

  /** What a pipeline asks for: a version by name, the newest, or the one it is pinned to. */
  public static final String NEWEST = "newest";

  /**
   * The model a pipeline scores with: the version {@code requested} ({@value #NEWEST} for the
   * newest that can be read), else {@code pinned} (the version its newest committed batch was
   * scored with), else the newest that can be read. A newest version that cannot be read is skipped
   * with a warning naming it; a version asked for or pinned that cannot be read is a permanent
   * failure, because scoring with another would change results without anyone choosing it.
   */
  public static SentimentModel choose(
      Path modelsDir, Optional<String> requested, Optional<String> pinned) {
    if (requested.isPresent() && !requested.get().equals(NEWEST)) {
      return usable(modelsDir, requested.get(), "asked for with --model");
    }
    if (requested.isEmpty() && pinned.isPresent()) {
      return usable(
          modelsDir,
          pinned.get(),
          "pinned: the model of the newest committed batch; './sluice run <pipeline> --model"
              + " VERSION' switches");
    }
    for (Path version : SentimentModels.versions(modelsDir)) {
      SentimentModel model = load(version);
      Optional<String> unreadable = model.unreadable();
      if (unreadable.isEmpty()) {
        return model;
      }
      log.warn("model {} cannot be read ({}): skipping it", model.version(), unreadable.get());
    }
    throw new ConfigException(
        "no sentiment model that can be read under "
            + SentimentModels.root(modelsDir)
            + ": train one with './sluice train'");
  }

  private static SentimentModel usable(Path modelsDir, String version, String why) {
    Path dir = SentimentModels.root(modelsDir).resolve(version);
    if (!Files.isRegularFile(dir.resolve(SentimentModels.METRICS_FILE))) {
      throw new PermanentFailure(
          "model "
              + version
              + " ("
              + why
              + ") is not under "
              + SentimentModels.root(modelsDir)
              + "; versions there: "
              + SentimentModels.versions(modelsDir).stream()
                  .map(p -> p.getFileName().toString())
                  .toList());
    }
    SentimentModel model = load(dir);
    Optional<String> unreadable = model.unreadable();
    if (unreadable.isPresent()) {
      throw new PermanentFailure(
          "model " + version + " (" + why + ") cannot be read: " + unreadable.get());
    }
    return model;
  }

  /** Why the model cannot score, if it cannot: its files are damaged or missing. */
  Optional<String> unreadable() {
    try {
      if (scorer().isEmpty()) {
        pipeline();
      }
      return Optional.empty();
    } catch (Exception e) {
      // Spark rethrows the checked exceptions of a damaged file (a JSON parse error) unchecked.
      return Optional.of(String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
    }
  }

  /** The model saved in {@code version}; its MLlib stages are read on first use. */
  public static SentimentModel load(Path version) {
    return new SentimentModel(version.getFileName().toString(), version, null);
  }

  public String version() {
    return version;
  }

  public Path path() {
    return path;
  }

  /** The model's MLlib stages, loaded on first call. */
  public synchronized PipelineModel pipeline() {
    if (pipeline == null) {
      pipeline = PipelineModel.load(path.resolve(MODEL_DIR).toString());
    }
    return pipeline;
  }

  /**
   * The model folded into a {@link LinearScorer}, or empty when it cannot be (see {@link
   * LinearScorer#of}). Read from the scorer file when there is one; otherwise folded from the MLlib
   * model and the file written for the next start.
   */
  public Optional<LinearScorer> scorer() {
    Path file = path.resolve(SCORER_FILE);
    if (Files.isRegularFile(file)) {
      try {
        Optional<LinearScorer> read = LinearScorer.read(file);
        if (read.isPresent()) {
          return read;
        }
        log.warn("{} is of another format: folding the model again", file);
      } catch (IOException e) {
        log.warn("cannot read {} ({}): folding the model again", file, e.getMessage());
      }
    }
    Optional<LinearScorer> folded = LinearScorer.of(pipeline());
    folded.ifPresent(scorer -> writeScorer(scorer, file));
    return folded;
  }

  /** Best effort: a model directory that cannot be written only costs the next start time. */
  static void writeScorer(LinearScorer scorer, Path file) {
    try {
      scorer.write(file);
    } catch (IOException e) {
      log.warn("cannot keep the folded model in {}: {}", file, e.getMessage());
    }
  }
}
