package dev.sluice.bench.detect;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.detect.CoreRuleSet;
import dev.sluice.detect.Finding;
import dev.sluice.detect.HttpEvent;
import dev.sluice.detect.HttpRequest;
import dev.sluice.detect.Inspector;
import dev.sluice.detect.LibInjection;
import dev.sluice.detect.ModSecurityEngine;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * The per-payload cost of each detector, one input per operation, cycling through real inputs
 * ({@link DetectorInputs}). Run by {@link DetectorsBench}, which sets forks and iterations; every
 * result is the average time of one operation.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class DetectorBenchmarks {
  /**
   * The plain-Java baseline: one case-insensitive regular expression over the fields the inspector
   * reads (path, header values, payload) of each ordinary event, the least a signature scan does.
   */
  static final Pattern SIGNATURES =
      Pattern.compile(
          "<script|javascript:|\\bunion\\s+select\\b|'\\s*or\\s+'|\\.\\./|/etc/passwd|;\\s*(?:id|ls|cat)\\b",
          Pattern.CASE_INSENSITIVE);

  /** The inputs, loaded once per forked process. */
  @State(Scope.Benchmark)
  public static class Inputs {
    DetectorInputs inputs;

    @Setup(Level.Trial)
    public void load() {
      inputs = DetectorInputs.load(SluiceConfig.fromEnvironment().datasets());
    }
  }

  /** Where a thread is in a list of inputs: each operation takes the next one. */
  @State(Scope.Thread)
  public static class Cursor {
    private int next;

    <T> T next(List<T> items) {
      T item = items.get(next);
      next = next + 1 == items.size() ? 0 : next + 1;
      return item;
    }
  }

  /** The inspector as {@link Inspector#open()} makes it. */
  @State(Scope.Benchmark)
  public static class FastInspector {
    Inspector inspector;

    @Setup(Level.Trial)
    public void open() {
      inspector = Inspector.open();
    }

    @TearDown(Level.Trial)
    public void close() {
      inspector.close();
    }
  }

  /** Before and after: every request rule and no shortcut, or the inspector as it opens. */
  @State(Scope.Benchmark)
  public static class EitherInspector {
    @Param({"complete", "fast"})
    public String inspector;

    Inspector opened;

    @Setup(Level.Trial)
    public void open() {
      opened =
          inspector.equals("fast") ? Inspector.open() : Inspector.openComplete(CoreRuleSet.DEBIAN);
    }

    @TearDown(Level.Trial)
    public void close() {
      opened.close();
    }
  }

  /** One ModSecurity engine with every request rule file, or with the attack rule files only. */
  @State(Scope.Benchmark)
  public static class Engine {
    @Param({"all", "attack"})
    public String rules;

    ModSecurityEngine engine;

    @Setup(Level.Trial)
    public void load() {
      engine =
          rules.equals("all")
              ? CoreRuleSet.DEBIAN.load(Inspector.PARANOIA_LEVEL)
              : CoreRuleSet.DEBIAN.loadAttackRules(Inspector.PARANOIA_LEVEL);
    }

    @TearDown(Level.Trial)
    public void close() {
      engine.close();
    }
  }

  @Benchmark
  public boolean baselineRegexScan(Inputs inputs, Cursor cursor) {
    HttpEvent event = cursor.next(inputs.inputs.ordinary());
    boolean found = event.path() != null && SIGNATURES.matcher(event.path()).find();
    for (Map.Entry<String, String> header : event.headers().entrySet()) {
      found |= SIGNATURES.matcher(header.getValue()).find();
    }
    return found | (event.payload() != null && SIGNATURES.matcher(event.payload()).find());
  }

  @Benchmark
  public Optional<String> libinjectionSqli(Inputs inputs, Cursor cursor) {
    return LibInjection.sqli(cursor.next(inputs.inputs.payloads()));
  }

  @Benchmark
  public boolean libinjectionXss(Inputs inputs, Cursor cursor) {
    return LibInjection.xss(cursor.next(inputs.inputs.payloads()));
  }

  @Benchmark
  public ModSecurityEngine.Verdict crsUriOnly(Inputs inputs, Engine engine, Cursor cursor) {
    HttpRequest request = cursor.next(inputs.inputs.uris());
    return engine.engine.evaluate(request);
  }

  @Benchmark
  public ModSecurityEngine.Verdict crsUriHeadersForm(Inputs inputs, Engine engine, Cursor cursor) {
    return engine.engine.evaluate(cursor.next(inputs.inputs.forms()));
  }

  @Benchmark
  public List<Finding> inspectOrdinary(Inputs inputs, EitherInspector inspector, Cursor cursor) {
    return inspector.opened.inspect(cursor.next(inputs.inputs.ordinary()));
  }

  @Benchmark
  @Threads(2)
  public List<Finding> inspectOrdinaryTwoThreads(
      Inputs inputs, FastInspector inspector, Cursor cursor) {
    return inspector.inspector.inspect(cursor.next(inputs.inputs.ordinary()));
  }

  @Benchmark
  public List<Finding> inspectAttacks(Inputs inputs, FastInspector inspector, Cursor cursor) {
    return inspector.inspector.inspect(cursor.next(inputs.inputs.attacks()));
  }

  @Benchmark
  public List<Finding> inspectReviews(Inputs inputs, FastInspector inspector, Cursor cursor) {
    return inspector.inspector.inspect(cursor.next(inputs.inputs.reviews()));
  }
}
