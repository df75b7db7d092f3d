package dev.sluice.bench.detect;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.process.ParentWatch;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The detectors' benchmark behind {@code ./sluice bench detectors}: JMH measures the per-payload
 * cost of libinjection's SQLi and XSS tests, of one Core Rule Set transaction (URI only; URI,
 * headers and form body; with every request rule file and with the attack rule files only), and of
 * the whole {@code Inspector.inspect} on the simulator's ordinary traffic (the complete inspector
 * and the one {@code Inspector.open()} gives, one thread and two), on wfuzz attack payloads and on
 * IMDB reviews; beside them, in the same run, a plain-Java baseline (one regular expression over
 * the same fields), so the ratios hold on a shared machine where absolute figures do not. The
 * inputs are {@link DetectorInputs}'.
 *
 * <p>Run (the launcher fetches the IMDB reviews on first use; no Kafka or database is needed):
 *
 * <pre>{@code
 * ./sluice bench detectors                      # about 2 minutes: 1 fork, 1 x 2 s warm-up, 3 x 1 s
 * ./sluice bench detectors --include inspect    # only the benchmarks whose name matches
 * ./sluice bench detectors --forks 3 --iterations 5 --seconds 2   # tighter figures, longer
 * }</pre>
 *
 * <p>JMH's progress goes to stderr; stdout gets one row per measure (average ns per operation, with
 * JMH's 99.9% error when there are several iterations), the inspector's events/s on the ordinary
 * mix, the two ratios, and as its last line one JSON object, e.g.
 *
 * <pre>{@code
 * {"baseline_ns":1480.2,...,"inspect_ordinary_ns":350812.4,...,"events_per_s_per_core":2851,
 *  "events_per_s_2_threads":4210,"inspector_vs_baseline":0.00422,"speedup_vs_complete":2.106}
 * }</pre>
 *
 * <p>Exit status 0 when it ran, 1 when a benchmark failed, 2 for a bad flag.
 */
public final class DetectorsBench {
  static final Flag<Integer> FORKS =
      Flag.of("--forks", Parser.intBetween(1, 10), "1", "JVMs per benchmark (JMH forks)");
  static final Flag<Integer> WARMUP_SECONDS =
      Flag.of(
          "--warmup-seconds",
          Parser.intBetween(0, 60),
          "2",
          "one warm-up iteration of this many seconds (0: none)");
  static final Flag<Integer> ITERATIONS =
      Flag.of("--iterations", Parser.intBetween(1, 50), "3", "measured iterations per fork");
  static final Flag<Integer> SECONDS =
      Flag.of("--seconds", Parser.intBetween(1, 60), "1", "seconds of each measured iteration");
  static final Flag<Pattern> INCLUDE =
      Flag.of(
          "--include",
          Parser.of("a regular expression", DetectorsBench::pattern),
          ".",
          "run only the benchmarks whose method name matches, e.g. inspect or crs");
  static final List<Flag<?>> FLAGS = List.of(FORKS, WARMUP_SECONDS, ITERATIONS, SECONDS, INCLUDE);

  private DetectorsBench() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    Options options;
    try {
      Flags flags = Flags.parse(List.of(args), FLAGS);
      if (flags.helpRequested()) {
        System.out.print(Flags.usage("./sluice bench detectors", FLAGS));
        System.exit(0);
        return;
      }
      options = options(flags);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice bench detectors: " + problem));
      System.exit(2);
      return;
    }
    try {
      Collection<RunResult> results =
          new Runner(
                  options, OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL))
              .run();
      DetectorsReport report = report(results);
      System.out.println(
          "Sluice detectors benchmark (JMH, "
              + Runtime.getRuntime().availableProcessors()
              + " cores; absolute figures depend on what else runs, the ratios less so)");
      report.table().forEach(System.out::println);
      System.out.println(report.json());
      System.exit(0);
    } catch (RunnerException | RuntimeException e) {
      System.err.println("sluice bench detectors: failed: " + e.getMessage());
      e.printStackTrace();
      System.exit(1);
    }
  }

  /** The JMH options the flags ask for. */
  static Options options(Flags flags) {
    int warmup = flags.get(WARMUP_SECONDS);
    return new OptionsBuilder()
        .include(
            Pattern.quote(DetectorBenchmarks.class.getName())
                + "\\..*(?:"
                + flags.get(INCLUDE).pattern()
                + ").*")
        .forks(flags.get(FORKS))
        .warmupIterations(warmup == 0 ? 0 : 1)
        .warmupTime(TimeValue.seconds(Math.max(1, warmup)))
        .measurementIterations(flags.get(ITERATIONS))
        .measurementTime(TimeValue.seconds(flags.get(SECONDS)))
        .shouldFailOnError(true)
        .build();
  }

  /** The report of JMH's results: each keyed by method name and parameter value, if any. */
  static DetectorsReport report(Collection<RunResult> results) {
    Map<String, Double> nanos = new HashMap<>();
    Map<String, Double> errors = new HashMap<>();
    for (RunResult result : results) {
      String benchmark = result.getParams().getBenchmark();
      String method = benchmark.substring(benchmark.lastIndexOf('.') + 1);
      String parameter = null;
      for (String name : result.getParams().getParamsKeys()) {
        parameter = result.getParams().getParam(name);
      }
      String key = parameter == null ? method : method + ":" + parameter;
      nanos.put(key, result.getPrimaryResult().getScore());
      errors.put(key, result.getPrimaryResult().getScoreError());
    }
    return new DetectorsReport(nanos, errors);
  }

  private static Pattern pattern(String text) {
    try {
      return Pattern.compile(text);
    } catch (PatternSyntaxException e) {
      throw new IllegalArgumentException("not a regular expression: " + e.getDescription());
    }
  }
}
