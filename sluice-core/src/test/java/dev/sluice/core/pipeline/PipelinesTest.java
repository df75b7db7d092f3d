package dev.sluice.core.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.reviews.ReviewsDefinition;
import java.util.List;
import org.junit.jupiter.api.Test;

class PipelinesTest {
  /** A definition with just the required parts, its queries chosen by the test. */
  private record Stub(String name, List<String> queries) implements PipelineDefinition {
    Stub(String name) {
      this(name, List.of(name));
    }

    @Override
    public String description() {
      return "stub " + name;
    }

    @Override
    public List<InputTopic> inputs() {
      return List.of(InputTopic.of(name + ".in", 2));
    }

    @Override
    public String sparkJob() {
      return "none";
    }
  }

  @Test
  void theRegistryOnTheClasspathHoldsTheReviewsPipeline() {
    Pipelines registry = Pipelines.registered();
    assertThat(registry.names()).contains(ReviewsDefinition.NAME);
    PipelineDefinition reviews = registry.require(ReviewsDefinition.NAME);
    assertThat(reviews.inputs()).extracting(InputTopic::name).containsExactly("reviews");
    assertThat(reviews.inputs().get(0).partitions().env()).isEqualTo("SLUICE_REVIEWS_PARTITIONS");
    assertThat(reviews.queries()).containsExactly("reviews");
    assertThat(reviews.needsSentimentModel()).isTrue();
  }

  @Test
  void definitionsAreInNameOrder() {
    assertThat(Pipelines.of(List.of(new Stub("zeta"), new Stub("alpha"))).names())
        .containsExactly("alpha", "zeta");
  }

  @Test
  void unknownNamesAreReportedTogetherWithTheRegisteredOnes() {
    Pipelines registry = Pipelines.of(List.of(new Stub("alpha"), new Stub("beta")));
    assertThatThrownBy(() -> registry.requireAll(List.of("alpha", "gamma", "delta", "gamma")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("unknown pipelines 'gamma', 'delta': expected alpha, beta");
    assertThat(registry.requireAll(List.of("beta", "alpha", "beta")))
        .extracting(PipelineDefinition::name)
        .containsExactly("beta", "alpha");
  }

  @Test
  void aNameUsedTwiceIsRefused() {
    assertThatThrownBy(() -> Pipelines.of(List.of(new Stub("alpha"), new Stub("alpha"))))
        .hasMessage("two pipelines are registered as 'alpha'");
    assertThatThrownBy(
            () ->
                Pipelines.of(
                    List.of(
                        new Stub("alpha", List.of("shared")), new Stub("beta", List.of("shared")))))
        .hasMessage("the query name 'shared' is used twice, by alpha and beta");
  }

  @Test
  void namesMustBeCommandLineWords() {
    assertThatThrownBy(() -> Pipelines.of(List.of(new Stub("Bad Name"))))
        .hasMessageContaining("'Bad Name': expected [a-z][a-z0-9-]{0,39}");
    assertThatThrownBy(() -> Pipelines.of(List.of(new Stub("ok", List.of("no/slash")))))
        .hasMessage("pipeline ok has a query named 'no/slash': expected [a-z][a-z0-9-]{0,39}");
  }

  @Test
  void aPartIsLoadedByClassNameWithAClearErrorWhenItIsMissingOrOfTheWrongType() {
    PipelineDefinition stub = new Stub("alpha");
    assertThat(Pipelines.part(stub, "java.util.ArrayList", List.class)).isEmpty();
    assertThatThrownBy(() -> Pipelines.part(stub, "dev.sluice.Missing", Runnable.class))
        .hasMessage(
            "pipeline alpha: its part dev.sluice.Missing is not on this module's classpath");
    assertThatThrownBy(() -> Pipelines.part(stub, "java.util.ArrayList", Runnable.class))
        .hasMessage("pipeline alpha: java.util.ArrayList does not implement java.lang.Runnable");
  }

  @Test
  void anInputTopicsPartitionSettingIsNamedAfterIt() {
    assertThat(InputTopic.of("sensor-events", 4).partitions().env())
        .isEqualTo("SLUICE_SENSOR_EVENTS_PARTITIONS");
    assertThatThrownBy(() -> InputTopic.of("bad topic", 1))
        .hasMessage("not a Kafka topic name: 'bad topic'");
  }
}
