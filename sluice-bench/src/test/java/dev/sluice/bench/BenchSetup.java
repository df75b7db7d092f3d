package dev.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.loadgen.reviews.ImdbDataset;
import dev.sluice.spark.SparkTestSession;
import dev.sluice.spark.TestData;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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

  /** A finished run of the harness, and the progress it printed. */
  record Run(BenchReport report, String log, JsonNode json) {}

  /**
   * Runs {@code ./sluice bench <pipeline> <options>} as {@link BenchMain} does, after the same
   * checks, on the test JVM's Spark session.
   */
  static Run run(SluiceConfig config, String pipeline, String... options) throws Exception {
    PipelineDefinition definition = Pipelines.registered().require(pipeline);
    PipelineBenchmark<?> part = part(pipeline);
    PipelineBench.requireMeasurable(definition, part);
    PipelineBench.requireInputs(config, definition, part);
    ByteArrayOutputStream progressBytes = new ByteArrayOutputStream();
    PrintStream progress = new PrintStream(progressBytes, true, StandardCharsets.UTF_8);
    BenchReport report =
        PipelineBench.run(
            config,
            definition,
            part,
            PipelineBench.Options.parse(List.of(options), part),
            SparkTestSession::get,
            progress);
    return new Run(
        report,
        progressBytes.toString(StandardCharsets.UTF_8),
        new ObjectMapper().readTree(report.json()));
  }

  /** The benchmark part the registered pipeline's definition names. */
  static PipelineBenchmark<?> part(String pipeline) {
    PipelineDefinition definition = Pipelines.registered().require(pipeline);
    return Pipelines.part(
        definition, definition.benchmark().orElseThrow(), PipelineBenchmark.class);
  }
}
