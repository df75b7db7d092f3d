package dev.sluice.loadgen;

import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;

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

  /**
   * What {@link #run} does for a producer with options of type {@code O}: parses them ({@code
   * parse} returns {@code null} when help was asked for, and then the usage is printed), then
   * sends.
   */
  static <O> int parseThenSend(
      List<String> args,
      Function<List<String>, O> parse,
      String synopsis,
      List<Flag<?>> flags,
      ToIntFunction<O> send) {
    O options = parse.apply(args);
    if (options == null) {
      System.out.print(Flags.usage(synopsis, flags));
      return 0;
    }
    return send.applyAsInt(options);
  }
}
