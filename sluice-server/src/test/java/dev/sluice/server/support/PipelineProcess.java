package dev.sluice.server.support;

import dev.sluice.core.process.Processes;
import dev.sluice.core.process.SluiceModules;
import dev.sluice.core.reviews.SentimentModels;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real reviews pipeline (module sluice-spark) as a child process, with the IMDB dataset and a
 * small model trained by the real trainer. The dataset is fetched once into the checkout's default
 * home ({@code .sluice/datasets}, shared with the other modules' tests) and the model once per
 * build into {@code target/browser-model}.
 */
public final class PipelineProcess implements AutoCloseable {
  private static final Path TARGET = Path.of("target").toAbsolutePath();
  private static final Path MODEL_HOME = TARGET.resolve("browser-model");

  private final Process process;
  private final Path log;

  private PipelineProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** The IMDB reviews, as JSON lines; fetched on first use. */
  public static Path dataset() {
    SluiceModules modules = SluiceModules.locate();
    Path home = modules.root().resolve(".sluice");
    Path file = home.resolve("datasets").resolve("imdb.jsonl");
    if (!Files.isRegularFile(file)) {
      ProcessBuilder builder =
          modules.java(
              "sluice-loadgen",
              "dev.sluice.loadgen.reviews.DatasetMain",
              List.of("-Xmx1g"),
              List.of());
      builder.environment().put("SLUICE_HOME", home.toString());
      run(builder, "dataset", 15);
    }
    return file;
  }

  /** A home whose models directory holds a model trained on 4,000 IMDB reviews. */
  static Path modelsDir(Map<String, String> platformEnv) {
    Path models = MODEL_HOME.resolve("models");
    if (SentimentModels.newest(models).isEmpty()) {
      ProcessBuilder builder =
          SluiceModules.locate()
              .java(
                  "sluice-spark",
                  "dev.sluice.spark.TrainMain",
                  List.of("-Xmx2g"),
                  List.of("--sample", "4000", "--input", dataset().toString()));
      builder.environment().putAll(platformEnv);
      builder.environment().put("SLUICE_HOME", MODEL_HOME.toString());
      run(builder, "train", 10);
    }
    return models;
  }

  /**
   * Starts the pipeline on {@code topic}, writing to the database and schema of {@code dbUrl}, with
   * a fresh checkpoint.
   */
  public static PipelineProcess start(Map<String, String> platformEnv, String dbUrl, String topic) {
    try {
      Path models = modelsDir(platformEnv);
      Path home = Files.createTempDirectory(TARGET, "browser-run-");
      Files.createSymbolicLink(home.resolve("models"), models);
      Path log = home.resolve("pipeline.log");
      ProcessBuilder builder =
          SluiceModules.locate()
              .java(
                  "sluice-spark",
                  "dev.sluice.spark.PipelineMain",
                  List.of("-Xmx2g"),
                  List.of("reviews", "--topic", topic));
      builder.environment().putAll(platformEnv);
      builder.environment().put("SLUICE_DB_URL", dbUrl);
      builder.environment().put("SLUICE_HOME", home.toString());
      builder.redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      return new PipelineProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public String logTail() {
    try {
      List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private static void run(ProcessBuilder builder, String what, int minutes) {
    try {
      Path log = Files.createTempFile(TARGET, what + "-", ".log");
      builder.redirectErrorStream(true);
      builder.redirectOutput(log.toFile());
      Process process = builder.start();
      if (!process.waitFor(minutes, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(
            what + " did not finish within " + minutes + " minutes; see " + log);
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            what
                + " failed with exit code "
                + process.exitValue()
                + ":\n"
                + Files.readString(log, StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + what, e);
    }
  }

  @Override
  public void close() {
    Processes.stop(process, Duration.ofSeconds(30));
  }
}
