package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CommandsTest {
  /** A pipeline with or without a benchmark part. */
  private record Stub(String name, Optional<String> benchmark) implements PipelineDefinition {
    @Override
    public String description() {
      return "stub " + name;
    }

    @Override
    public List<InputTopic> inputs() {
      return List.of(InputTopic.of(name + "-in", 1));
    }

    @Override
    public String sparkJob() {
      return "none";
    }
  }

  private static final Pipelines REGISTRY =
      Pipelines.of(
          List.of(
              new Stub("tally", Optional.of("bench.Tally")),
              new Stub("plain", Optional.empty()),
              new Stub("clicks", Optional.of("bench.Clicks"))));

  @Test
  void benchMeasuresAnyRegisteredPipelineWithABenchmarkPartOrTheApi() {
    assertThat(Commands.benchedPipeline(REGISTRY, List.of("tally", "--records", "5000")))
        .map(PipelineDefinition::name)
        .contains("tally");
    assertThat(Commands.benchedPipeline(REGISTRY, List.of("api", "--seconds", "3"))).isEmpty();
  }

  @Test
  void anythingElseIsRefusedWithTheChoicesFromTheRegistry() {
    assertThatThrownBy(() -> Commands.benchedPipeline(REGISTRY, List.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "bench needs what to measure: expected a pipeline with a benchmark (clicks, tally)"
                + " or 'api' or 'detectors', e.g. ./sluice bench clicks");
    assertThatThrownBy(() -> Commands.benchedPipeline(REGISTRY, List.of("plain")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("pipeline 'plain' has no benchmark part: expected");
    assertThatThrownBy(() -> Commands.benchedPipeline(REGISTRY, List.of("--records", "5")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("bench needs what to measure");
  }

  @Test
  void theBuiltInReviewsPipelineHasItsBenchmark() {
    assertThat(Commands.benchedPipeline(Pipelines.registered(), List.of("reviews")))
        .map(PipelineDefinition::needsSentimentModel)
        .contains(true);
  }

  @Test
  void theApiTokenReachesOnlyTheServerAndOnlyThroughItsEnvironment() {
    for (Modules module : Modules.values()) {
      ProcessBuilder builder = new ProcessBuilder("true");
      builder.environment().put("SLUICE_API_TOKEN", "tok-7f3a");
      Commands.withTokenOnlyForTheServer(module, builder);
      assertThat(builder.environment().containsKey("SLUICE_API_TOKEN"))
          .as(module.name())
          .isEqualTo(module == Modules.SERVER);
      assertThat(builder.command()).noneMatch(arg -> arg.contains("tok-7f3a"));
    }
  }

  @Test
  void theDemoSaysWhereTheTokenIsButNeverPrintsIt() {
    SluiceConfig configured =
        SluiceConfig.from(Map.of("SLUICE_API_TOKEN", "tok-7f3a", "SLUICE_HOME", "/tmp/h"));
    assertThat(Demo.tokenSource(configured))
        .doesNotContain("tok-7f3a")
        .contains("SLUICE_API_TOKEN");
    SluiceConfig generated = SluiceConfig.from(Map.of("SLUICE_HOME", "/tmp/h"));
    assertThat(Demo.tokenSource(generated)).contains("/tmp/h/api-token");
  }
}
