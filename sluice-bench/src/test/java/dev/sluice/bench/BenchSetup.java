package dev.sluice.bench;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.loadgen.reviews.ImdbDataset;
import dev.sluice.spark.TestData;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** What a pipeline benchmark's IT runs on: the shared platform and a home with the IMDB reviews. */
final class BenchSetup {
  private BenchSetup() {}

  /**
   * The configuration of a run in {@code home}, on {@code platform}, with {@code more} settings.
   */
  static SluiceConfig config(EmbeddedPlatform platform, Path home, Map<String, String> more)
      throws IOException {
    Files.createDirectories(home.resolve("datasets"));
    Files.createSymbolicLink(
        home.resolve("datasets").resolve(ImdbDataset.FILE_NAME), TestData.imdb());
    Map<String, String> settings =
        new HashMap<>(
            Map.of(
                "SLUICE_HOME", home.toString(),
                "SLUICE_KAFKA", platform.kafka(),
                "SLUICE_DB_URL", platform.dbUrl(),
                "SLUICE_DB_USER", platform.dbUser()));
    settings.putAll(more);
    return SluiceConfig.from(settings);
  }

  /** The benchmark part the registered pipeline's definition names. */
  static PipelineBenchmark<?> part(String pipeline) {
    PipelineDefinition definition = Pipelines.registered().require(pipeline);
    return Pipelines.part(
        definition, definition.benchmark().orElseThrow(), PipelineBenchmark.class);
  }
}
