package dev.sluice.loadgen;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.io.PrintStream;
import java.util.List;

/**
 * A pipeline's part in {@code sluice-loadgen}: what {@code ./sluice produce <pipeline>} sends to
 * the pipeline's topics. The definition names the class in {@code producer()}; it has a public
 * no-argument constructor.
 */
public interface PipelineProducer {
  /**
   * Parses the producer's own flags (those after the pipeline's name), sends, and returns the exit
   * status: 0 when everything was sent, {@link ProduceMain#EXIT_FAILED} when a send failed. Bad
   * flags throw {@link dev.sluice.core.config.ConfigException}; {@code --help} prints the usage and
   * returns 0. Progress and the summary go to {@code err}.
   */
  int run(PipelineDefinition pipeline, List<String> args, SluiceConfig config, PrintStream err);
}
