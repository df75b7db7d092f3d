package dev.sluice.bench;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.spark.SparkSessions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.spark.sql.SparkSession;

/**
 * Measures a registered pipeline on this machine against the practical limit of the machine (a
 * plain-Java loop doing the pipeline's least work over the same records), and its end-to-end
 * latency at a steady rate: {@code BenchMain <pipeline> [options]}, for every pipeline whose
 * definition names a benchmark part ({@code benchmark()}, see {@link PipelineBenchmark}).
 *
 * <p>Run it through the launcher, which starts the embedded platform (unless {@code SLUICE_KAFKA}
 * and {@code SLUICE_DB_URL} point elsewhere) and, for a pipeline that needs the sentiment model,
 * fetches the dataset and trains a model when missing:
 *
 * <pre>{@code
 * ./sluice bench reviews                          # 1,000,000 reviews, then 2,000 reviews/s for 60 s
 * ./sluice bench security                         # 100,000 sensor events, then 5,000/s for 60 s
 * ./sluice bench revenue                          # 200,000 revenue records, then 2,000/s for 60 s
 * ./sluice bench calls                            # 1,000,000 police calls, then 2,000/s for 60 s
 * ./sluice bench calls --executor-threads 1 --shuffle-partitions 8   # a tuning study's run
 * ./sluice bench reviews --records 50000 --latency-seconds 10
 * ./sluice bench reviews --latency-seconds 0      # throughput only
 * ./sluice bench reviews --help                   # the options
 * }</pre>
 *
 * <p>The phases are {@link PipelineBench}'s. Progress goes to stderr; stdout gets a summary with
 * the targets (pipeline at least half the plain loop's rate; the pipeline's latency target: for
 * reviews p99 at most 1 s at the demo's 2,000 reviews/s, for security p99 at most 100 ms from an
 * event's append to its alert at 5,000 events/s) and, as its last line, one JSON object. {@code
 * ./sluice bench reviews --records 20000 --latency-seconds 10} on a 2-core machine busy with other
 * work (load average 8 to 10, so every rate is low and the pipeline fell behind) printed:
 *
 * <pre>{@code
 * Sluice reviews benchmark: 20,000 reviews, Spark local[2], 2 cores, load average 9.6 at the end
 *   load                       2,860 reviews/s
 *   pipeline                     255 records/s  (78.5 s, 437 records per CPU-second; Spark start-up 71.3 s not included)
 *   plain loop                 2,254 records/s  (8.9 s, 3,738 records per CPU-second; 2 threads, no Spark)
 *   ratio                      0.113            target >= 0.50: MISSED
 *   latency p50 / p99     32,313 / 38,240 ms   target p99 <= 1,000 ms: MISSED (max 38,396 ms, 20,000 reviews)
 *   latency load               1,125 reviews/s for 10 s (target 2,000/s): the producer could NOT keep the rate on this machine
 *   latency caveat      the pipeline fell behind: it was done with the last record 36.5 s after the last send
 * {"records":20000,"pipeline_rps":255,"baseline_rps":2254,"ratio":0.113,"latency_p50_ms":32313,"latency_p99_ms":38240}
 * }</pre>
 *
 * <p>With {@code --latency-seconds 0} the latency values are {@code null}. Exit code 0 when the run
 * is valid, whether or not the targets are met; 1 when it is invalid (lost or doubled records,
 * results that differ from the plain loop's) or failed; 2 for bad options or missing inputs.
 */
public final class BenchMain {
  private BenchMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    PipelineDefinition pipeline;
    PipelineBenchmark<?> part;
    PipelineBench.Options options;
    SluiceConfig config;
    try {
      Pipelines registry = Pipelines.registered();
      List<String> arguments = List.of(args);
      if (arguments.isEmpty() || arguments.get(0).startsWith("-")) {
        if (Flags.parse(arguments, PipelineBench.FLAGS).helpRequested()) {
          System.out.print(
              Flags.usage(
                  "./sluice bench <" + String.join("|", benchmarked(registry)) + ">",
                  PipelineBench.FLAGS));
          System.exit(0);
          return;
        }
        throw new ConfigException(
            "expected the pipeline to measure first, one of: "
                + String.join(", ", benchmarked(registry)));
      }
      pipeline = toMeasure(registry, arguments.get(0));
      part = Pipelines.part(pipeline, pipeline.benchmark().orElseThrow(), PipelineBenchmark.class);
      PipelineBench.requireMeasurable(pipeline, part);
      options = PipelineBench.Options.parse(arguments.subList(1, arguments.size()), part);
      if (options == null) {
        System.out.print(Flags.usage("./sluice bench " + pipeline.name(), PipelineBench.FLAGS));
        System.exit(0);
        return;
      }
      Optional<String> unmet = pipeline.unmetRequirement();
      if (unmet.isPresent()) {
        throw new ConfigException(unmet.get());
      }
      config = SluiceConfig.fromEnvironment();
      PipelineBench.requireInputs(config, pipeline, part);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice bench: " + problem));
      System.exit(2);
      return;
    } catch (IllegalStateException e) {
      System.err.println("sluice bench: " + e.getMessage());
      System.exit(1);
      return;
    }
    AtomicReference<SparkSession> spark = new AtomicReference<>();
    int code;
    try {
      BenchReport report =
          PipelineBench.run(
              config,
              pipeline,
              part,
              options,
              () ->
                  spark.updateAndGet(
                      s ->
                          s != null
                              ? s
                              : SparkSessions.forPipelines(
                                  "sluice-bench-" + pipeline.name(),
                                  options.master(),
                                  options.shufflePartitions())),
              System.err);
      report
          .summary(Runtime.getRuntime().availableProcessors(), PipelineBench.loadAverage())
          .forEach(System.out::println);
      System.out.println(report.json());
      code = 0;
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice bench: " + problem));
      code = 2;
    } catch (InvalidRunException e) {
      System.err.println("sluice bench: INVALID RUN, no result: " + e.getMessage());
      code = 1;
    } catch (InterruptedException e) {
      code = 130;
    } catch (RuntimeException e) {
      System.err.println("sluice bench: failed: " + e.getMessage());
      e.printStackTrace();
      code = 1;
    } finally {
      if (spark.get() != null) {
        spark.get().stop();
      }
    }
    System.exit(code);
  }

  /** The registered pipelines that have a benchmark part, in name order. */
  static List<String> benchmarked(Pipelines registry) {
    return registry.all().stream()
        .filter(pipeline -> pipeline.benchmark().isPresent())
        .map(PipelineDefinition::name)
        .toList();
  }

  /** The named pipeline, if it has a benchmark part the harness can run. */
  static PipelineDefinition toMeasure(Pipelines registry, String name) {
    PipelineDefinition pipeline =
        registry
            .find(name)
            .filter(found -> found.benchmark().isPresent())
            .orElseThrow(
                () ->
                    new ConfigException(
                        "no benchmark for '"
                            + name
                            + "': expected one of "
                            + String.join(", ", benchmarked(registry))
                            + " (the pipelines with a benchmark part)"));
    return pipeline;
  }
}
