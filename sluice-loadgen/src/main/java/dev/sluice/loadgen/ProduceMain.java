package dev.sluice.loadgen;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.ParentWatch;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.kafka.common.KafkaException;

/**
 * Sends a pipeline's input to Kafka with the pipeline's own producer ({@link PipelineProducer}).
 *
 * <p>Run it through the launcher, which starts or finds the platform and sets {@code SLUICE_KAFKA}:
 *
 * <pre>
 * ./sluice produce reviews --rate 500 --count 10000
 * ./sluice produce reviews --help         # the producer's own flags
 * </pre>
 *
 * <p>or directly: {@code SLUICE_KAFKA=127.0.0.1:19092 java -cp <sluice-loadgen classpath>
 * dev.sluice.loadgen.ProduceMain reviews --count 50000}.
 *
 * <p>Exit status: 0 when everything was sent; 1 when a send failed or the source had nothing to
 * send; 2 for bad flags or settings; 130 after Ctrl-C (the producer first flushes what it sent).
 */
public final class ProduceMain {
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;

  private ProduceMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    System.exit(run(List.of(args), System.err));
  }

  static int run(List<String> args, PrintStream err) {
    Pipelines registry = Pipelines.registered();
    List<String> producing =
        registry.all().stream()
            .filter(p -> p.producer().isPresent())
            .map(PipelineDefinition::producerName)
            .toList();
    try {
      if (args.isEmpty() || args.get(0).startsWith("-")) {
        throw new ConfigException(
            "expected what to produce, one of: " + String.join(", ", producing));
      }
      PipelineDefinition pipeline = registry.requireProducer(args.get(0));
      String producerClass = pipeline.producer().orElseThrow();
      PipelineProducer producer = Pipelines.part(pipeline, producerClass, PipelineProducer.class);
      return producer.run(
          pipeline, args.subList(1, args.size()), SluiceConfig.fromEnvironment(), err);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> err.println("sluice produce: " + problem));
      return EXIT_USAGE;
    } catch (DatasetException | IllegalStateException | UncheckedIOException e) {
      err.println("sluice produce: " + e.getMessage());
      return EXIT_FAILED;
    } catch (KafkaException e) {
      // The client's own message is generic ("Failed to construct kafka producer"); the cause says
      // why.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("sluice produce: cannot use Kafka: " + cause.getMessage());
      return EXIT_FAILED;
    }
  }
}
