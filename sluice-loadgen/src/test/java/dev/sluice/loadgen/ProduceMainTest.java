package dev.sluice.loadgen;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The generic front of {@code ./sluice produce}: which pipeline's producer runs, or why none. */
class ProduceMainTest {
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(String... args) {
    return ProduceMain.run(List.of(args), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  /** The registered pipelines' producers, by the word {@code ./sluice produce} knows each by. */
  private static String producers() {
    String names =
        Pipelines.registered().all().stream()
            .filter(pipeline -> pipeline.producer().isPresent())
            .map(PipelineDefinition::producerName)
            .collect(Collectors.joining(", "));
    assertThat(names).contains("reviews", "sensors");
    return names;
  }

  @Test
  void anUnknownProducerIsAUsageErrorNamingTheRegisteredOnes() {
    assertThat(run("tweets", "--rate", "5")).isEqualTo(ProduceMain.EXIT_USAGE);
    assertThat(errors())
        .isEqualTo("sluice produce: no producer 'tweets': expected one of " + producers() + "\n");
  }

  @Test
  void aProducerIsKnownByItsNameOrItsPipelinesName() {
    assertThat(Pipelines.registered().requireProducer("sensors").name()).isEqualTo("security");
    assertThat(Pipelines.registered().requireProducer("security").name()).isEqualTo("security");
    assertThat(Pipelines.registered().requireProducer("reviews").name()).isEqualTo("reviews");
  }

  @Test
  void aMissingPipelineIsAUsageErrorListingThoseWithAProducer() {
    assertThat(run("--rate", "5")).isEqualTo(ProduceMain.EXIT_USAGE);
    assertThat(errors())
        .isEqualTo("sluice produce: expected what to produce, one of: " + producers() + "\n");
  }

  @Test
  void theProducersOwnFlagsAreCheckedByIt() {
    assertThat(run("reviews", "--rate", "abc")).isEqualTo(ProduceMain.EXIT_USAGE);
    assertThat(errors()).contains("sluice produce: --rate='abc' is not valid");
  }
}
