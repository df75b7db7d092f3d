package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.bench.reviews.ReviewsBenchmark;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
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

  /** A benchmark part that measures what the test says, and cannot run. */
  private record Part(InputTopic input, String query, Optional<RealTimeResults> realTimeResults)
      implements PipelineBenchmark<PlainLoopWork> {
    /** The defaults: the pipeline's only input and query, ledgered. */
    static Part ofOnly() {
      return new Part(null, null, Optional.empty());
    }

    @Override
    public InputTopic input(PipelineDefinition definition) {
      return input == null ? PipelineBenchmark.super.input(definition) : input;
    }

    @Override
    public String query(PipelineDefinition definition) {
      return query == null ? PipelineBenchmark.super.query(definition) : query;
    }

    @Override
    public BenchRecords records(SluiceConfig config) {
      throw new UnsupportedOperationException();
    }

    @Override
    public PlainLoopWork plainLoopThread(BenchTarget target) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String checkAgainstPlainLoop(BenchTarget drained, List<PlainLoopWork> plainLoop) {
      throw new UnsupportedOperationException();
    }

    @Override
    public int recordsByDefault() {
      return 5_000;
    }
  }

  @Test
  void optionsAreValidatedWithOneLinePerProblem() {
    assertThatThrownBy(
            () ->
                PipelineBench.Options.parse(
                    List.of("--records", "10", "--latency-seconds", "9999", "extra"),
                    new ReviewsBenchmark()))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .anySatisfy(p -> assertThat(p).contains("--records"))
                    .anySatisfy(p -> assertThat(p).contains("--latency-seconds")));
    assertThat(PipelineBench.Options.parse(List.of(), new ReviewsBenchmark()))
        .as("the latency at the demo's rate by default")
        .isEqualTo(new PipelineBench.Options(1_000_000, 2_000, 60, 10, 250, 2, 2, false));
    assertThat(PipelineBench.Options.parse(List.of(), Part.ofOnly()))
        .as("the part's own defaults")
        .isEqualTo(new PipelineBench.Options(5_000, 2_000, 60, 10, 250, 2, 2, false));
    assertThat(PipelineBench.Options.parse(List.of("--records", "7000"), Part.ofOnly()).records())
        .isEqualTo(7_000);
    assertThat(PipelineBench.Options.parse(List.of("--help"), Part.ofOnly())).isNull();
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
        .hasMessageContaining(
            "expected one of " + String.join(", ", BenchMain.benchmarked(registry)))
        .hasMessageContaining(ReviewsDefinition.NAME);
  }

  @Test
  void theHarnessRefusesWhatItCannotCountOrTime() {
    PipelineBench.requireMeasurable(new Stub("one", List.of("one"), List.of()), Part.ofOnly());
    Stub two = new Stub("two", List.of("a", "b"), List.of());
    assertThatThrownBy(() -> PipelineBench.requireMeasurable(two, Part.ofOnly()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("2 queries: its benchmark part must name the one it measures");
    PipelineBench.requireMeasurable(two, new Part(null, "b", Optional.empty()));
    assertThatThrownBy(
            () -> PipelineBench.requireMeasurable(two, new Part(null, "c", Optional.empty())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("names query 'c', which the pipeline does not have");
    Stub realTime = new Stub("rt", List.of("rt"), List.of(InputTopic.of("rt-in", 2)));
    assertThatThrownBy(() -> PipelineBench.requireMeasurable(realTime, Part.ofOnly()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("real-time mode, which keeps no batch ledger");
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
  void aLatencyPhaseThatMeasuredNoRecordHasNoPercentiles() throws Exception {
    BenchReport.Latency nothingCommitted =
        new BenchReport.Latency(
            2_000, 20, 50_000, 1_999, 472, 60, LatencyStats.of(new double[0]), "calls", 1_000, 5);
    BenchReport report =
        new BenchReport(
            "calls", "calls", "local[2]", 300_000, 50_000, 9, 186, 8, 2, 1.5, nothingCommitted);

    JsonNode json = new ObjectMapper().readTree(report.json());
    assertThat(json.get("latency_p50_ms").isNull()).as(json.toString()).isTrue();
    assertThat(json.get("latency_p99_ms").isNull()).isTrue();
  }

  @Test
  void theReportEndsWithOneJsonLineAndStatesTheTargets() throws Exception {
    BenchReport.Latency latency =
        new BenchReport.Latency(
            2_000,
            60,
            120_000,
            1_999,
            120_000,
            0.8,
            new LatencyStats(120_000, 450, 950, 1_200),
            "reviews",
            1_000,
            10);
    BenchReport report =
        new BenchReport("reviews", "reviews", "local[2]", 20_000, 50_000, 9, 4, 8, 1, 1.5, latency);

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
            "local[2]",
            20_000,
            50_000,
            9,
            4,
            8,
            1,
            1.5,
            new BenchReport.Latency(
                2_000,
                60,
                120_000,
                1_999,
                119_000,
                60,
                new LatencyStats(119_000, 900, 1_100, 9),
                "reviews",
                1_000,
                10));
    assertThat(slow.summary(2, 1.0))
        .anySatisfy(line -> assertThat(line).contains("target p99 <= 1,000 ms: MISSED"))
        .anySatisfy(
            line -> assertThat(line).contains("only 119,000 of 120,000 reviews were committed"));

    BenchReport alerts =
        new BenchReport(
            "security",
            "sensor events",
            "local[2]",
            20_000,
            50_000,
            9,
            4,
            8,
            1,
            1.5,
            new BenchReport.Latency(
                5_000,
                60,
                300_000,
                4_990,
                BenchReport.Latency.UNKNOWN,
                60,
                new LatencyStats(800, 40, 150, 300),
                "alerts",
                100,
                10));
    assertThat(alerts.summary(2, 1.0))
        .anySatisfy(
            line ->
                assertThat(line).contains("target p99 <= 100 ms: MISSED").contains("800 alerts"))
        .anySatisfy(
            line ->
                assertThat(line)
                    .contains("could NOT keep up: it had not read all 300,000 sensor events"));

    BenchReport noLatency =
        new BenchReport("reviews", "reviews", "local[2]", 20_000, 50_000, 9, 4, 8, 1, 1.5, null);
    assertThat(new ObjectMapper().readTree(noLatency.json()).get("latency_p99_ms").isNull())
        .isTrue();
  }
}
