package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.reviews.ReviewsDefinition;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The harness's parts that need no platform: options, choosing the pipeline, the report. */
class PipelineBenchTest {
  /** A pipeline with a benchmark part, its queries and real-time inputs chosen by the test. */
  private record Stub(String name, List<String> queries, List<InputTopic> realTimeInputs)
      implements PipelineDefinition {
    @Override
    public String description() {
      return "stub " + name;
    }

    @Override
    public List<InputTopic> inputs() {
      return List.of(InputTopic.of(name + "-in", 2));
    }

    @Override
    public String sparkJob() {
      return "none";
    }

    @Override
    public Optional<String> benchmark() {
      return Optional.of("none");
    }
  }

  @Test
  void optionsAreValidatedWithOneLinePerProblem() {
    assertThatThrownBy(
            () ->
                PipelineBench.Options.parse(
                    List.of("--records", "10", "--latency-seconds", "9999", "extra")))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .anySatisfy(p -> assertThat(p).contains("--records"))
                    .anySatisfy(p -> assertThat(p).contains("--latency-seconds")));
    assertThat(PipelineBench.Options.parse(List.of()))
        .as("the latency at the demo's rate by default")
        .isEqualTo(new PipelineBench.Options(1_000_000, 2_000, 60, 250, false));
    assertThat(PipelineBench.Options.parse(List.of("--help"))).isNull();
  }

  @Test
  void onlyRegisteredPipelinesWithABenchmarkPartAreMeasured() {
    Pipelines registry = Pipelines.registered();
    assertThat(BenchMain.benchmarked(registry)).contains(ReviewsDefinition.NAME);
    assertThat(BenchMain.toMeasure(registry, ReviewsDefinition.NAME).name())
        .isEqualTo(ReviewsDefinition.NAME);
    assertThatThrownBy(() -> BenchMain.toMeasure(registry, "nope"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no benchmark for 'nope'")
        .hasMessageContaining("expected one of " + ReviewsDefinition.NAME);
  }

  @Test
  void theHarnessRefusesWhatItCannotCountByOneLedger() {
    PipelineBench.requireMeasurable(new Stub("one", List.of("one"), List.of()));
    assertThatThrownBy(
            () -> PipelineBench.requireMeasurable(new Stub("two", List.of("a", "b"), List.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("one input topic and one query");
    assertThatThrownBy(
            () ->
                PipelineBench.requireMeasurable(
                    new Stub("rt", List.of("rt"), List.of(InputTopic.of("rt-in", 2)))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("real-time");
  }

  @Test
  void theTwoThreadsShareThePartitionsRoundRobin() {
    List<TopicPartition> partitions =
        List.of(0, 1, 2, 3).stream().map(p -> new TopicPartition("t", p)).toList();
    assertThat(PlainLoopBaseline.split(partitions, 2))
        .containsExactly(
            List.of(new TopicPartition("t", 0), new TopicPartition("t", 2)),
            List.of(new TopicPartition("t", 1), new TopicPartition("t", 3)));
    assertThat(PlainLoopBaseline.split(partitions.subList(0, 1), 2))
        .containsExactly(List.of(new TopicPartition("t", 0)));
  }

  @Test
  void theReportEndsWithOneJsonLineAndStatesTheTargets() throws Exception {
    BenchReport.Latency latency =
        new BenchReport.Latency(
            2_000, 60, 120_000, 1_999, 120_000, 0.8, new LatencyStats(120_000, 450, 950, 1_200));
    BenchReport report =
        new BenchReport("reviews", "reviews", 20_000, 50_000, 9, 4, 8, 1, 1.5, latency);

    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "records", "pipeline_rps", "baseline_rps", "ratio", "latency_p50_ms", "latency_p99_ms");
    assertThat(json.get("pipeline_rps").asLong()).isEqualTo(5_000);
    assertThat(json.get("baseline_rps").asLong()).isEqualTo(20_000);
    assertThat(json.get("ratio").asDouble()).isEqualTo(0.25);
    assertThat(json.get("latency_p99_ms").asLong()).isEqualTo(950);
    assertThat(report.summary(2, 1.0))
        .startsWith(
            "Sluice reviews benchmark: 20,000 reviews, Spark local[2], 2 cores, load average 1.0 at the end")
        .anySatisfy(line -> assertThat(line).contains("target >= 0.50: MISSED"))
        .anySatisfy(line -> assertThat(line).contains("target p99 <= 1,000 ms: met"))
        .anySatisfy(line -> assertThat(line).contains("2,000/s"))
        .noneSatisfy(line -> assertThat(line).contains("caveat"));

    BenchReport slow =
        new BenchReport(
            "reviews",
            "reviews",
            20_000,
            50_000,
            9,
            4,
            8,
            1,
            1.5,
            new BenchReport.Latency(
                2_000, 60, 120_000, 1_999, 119_000, 60, new LatencyStats(119_000, 900, 1_100, 9)));
    assertThat(slow.summary(2, 1.0))
        .anySatisfy(line -> assertThat(line).contains("target p99 <= 1,000 ms: MISSED"))
        .anySatisfy(
            line -> assertThat(line).contains("only 119,000 of 120,000 reviews were committed"));

    BenchReport noLatency =
        new BenchReport("reviews", "reviews", 20_000, 50_000, 9, 4, 8, 1, 1.5, null);
    assertThat(new ObjectMapper().readTree(noLatency.json()).get("latency_p99_ms").isNull())
        .isTrue();
  }
}
