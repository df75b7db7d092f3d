package dev.sluice.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.RadioCodes;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.core.security.SecurityDefinition;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PipelineMainTest {
  @Test
  void withoutRealTimeQueriesTheConfiguredMasterIsKept() {
    assertThat(PipelineMain.master("local[*]", 0, 2)).isEqualTo("local[*]");
    assertThat(PipelineMain.master("spark://h:7077", 0, 2)).isEqualTo("spark://h:7077");
  }

  @Test
  void theDefaultLocalMasterGetsASlotPerRealTimePartitionOnTopOfTheCores() {
    assertThat(PipelineMain.master("local[*]", 4, 2)).isEqualTo("local[6]");
    assertThat(PipelineMain.master("local[8]", 4, 2)).isEqualTo("local[8]");
    assertThat(PipelineMain.master("spark://h:7077", 4, 2)).isEqualTo("spark://h:7077");
  }

  @Test
  void aLocalMasterWithNoSlotLeftForMicroBatchWorkIsRefused() {
    assertThatThrownBy(() -> PipelineMain.master("local[4]", 4, 2))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SLUICE_SPARK_MASTER='local[4]' leaves no task slot")
        .hasMessageContaining("use local[6]");
    assertThatThrownBy(() -> PipelineMain.master("local", 2, 2))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void aPipelineWithOneInputTakesATopicName() {
    assertThat(
            PipelineMain.topicOverride(List.of(new ReviewsDefinition()), topicFlag("my-reviews")))
        .isEqualTo(Map.of("reviews", "my-reviews"));
  }

  @Test
  void aPipelineWithSeveralInputsTakesATopicPerInputItNames() {
    assertThat(
            PipelineMain.topicOverride(
                List.of(new SecurityDefinition()), topicFlag("packets=p1,sensor-events=e1")))
        .isEqualTo(Map.of("packets", "p1", "sensor-events", "e1"));
    assertThat(
            PipelineMain.topicOverride(List.of(new SecurityDefinition()), topicFlag("packets=p1")))
        .isEqualTo(Map.of("packets", "p1"));
  }

  @Test
  void aTopicThatNamesNoInputIsRefusedWithTheInputs() {
    assertThatThrownBy(
            () ->
                PipelineMain.topicOverride(
                    List.of(new SecurityDefinition()), topicFlag("my-events")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("name each: --topic INPUT=TOPIC")
        .hasMessageContaining("sensor-events, packets");
    assertThatThrownBy(
            () ->
                PipelineMain.topicOverride(
                    List.of(new SecurityDefinition()), topicFlag("events=e1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("has no input or output 'events'");
  }

  @Test
  void aPipelinesOutputsTakeTopicsOfTheirOwnBesideItsInputs() {
    assertThat(
            PipelineMain.topicOverride(
                List.of(new RevenueDefinition()),
                topicFlag("revenue=r1,revenue.computed=c1,revenue.minutes=m1")))
        .isEqualTo(Map.of("revenue", "r1", "revenue.computed", "c1", "revenue.minutes", "m1"));
    assertThatThrownBy(
            () ->
                PipelineMain.topicOverride(
                    List.of(new RevenueDefinition()), topicFlag("revenue.totals=t1")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("outputs: revenue.computed, revenue.minutes");
  }

  @Test
  void aRedisNamespaceIsCheckedLikeTheKeysItStarts() {
    assertThat(
            Flags.parse(List.of("--redis-namespace", "revenue_test-1"), PipelineMain.FLAGS)
                .optional(PipelineMain.REDIS_NAMESPACE))
        .contains("revenue_test-1");
    assertThatThrownBy(
            () -> Flags.parse(List.of("--redis-namespace", "Revenue:x"), PipelineMain.FLAGS))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void pipelinesOptionsAreParsedWithTheLaunchersAndRefusedForAPipelineNotRun() {
    Pipelines registry = Pipelines.registered();
    List<Flag<?>> declared = PipelineMain.flags(registry);
    assertThat(declared).contains(RadioCodes.FLAG).containsAll(PipelineMain.FLAGS);
    Path codes = Path.of("target", "main-test-codes.json");

    Flags flags =
        Flags.parse(List.of("calls", "--once", "--radio-codes", codes.toString()), declared);
    assertThat(flags.get(RadioCodes.FLAG).describe("HAN")).isEqualTo("Handled");
    PipelineMain.refuseOptionsOfOtherPipelines(
        registry, List.of(registry.require(CallsDefinition.NAME)), flags);
    assertThatThrownBy(
            () ->
                PipelineMain.refuseOptionsOfOtherPipelines(
                    registry, List.of(registry.require(ReviewsDefinition.NAME)), flags))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--radio-codes is an option of the calls pipeline, which is not run");
    assertThatThrownBy(() -> Flags.parse(List.of("calls", "--radio-codes", "nope.json"), declared))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("--radio-codes='nope.json' is not valid: no such file;");
  }

  @org.junit.jupiter.api.BeforeAll
  static void writeCodes() throws java.io.IOException {
    java.nio.file.Files.writeString(
        Path.of("target", "main-test-codes.json"),
        "[{\"disposition_code\":\"HAN\",\"description\":\"Handled\"}]");
  }

  private static Flags topicFlag(String value) {
    return Flags.parse(List.of("--topic", value), PipelineMain.FLAGS);
  }
}
