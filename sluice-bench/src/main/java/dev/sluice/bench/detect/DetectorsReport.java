package dev.sluice.bench.detect;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * The detector benchmark's summary: one table row per measure, the inspector's throughput on the
 * ordinary mix, its ratios to the same run's baseline and to the complete inspector, and one JSON
 * line. Measures the run left out (see {@code --include}) show as "not run" and {@code null}.
 *
 * @param nanosPerOp average nanoseconds per operation by measure key, e.g. {@code
 *     inspectOrdinary:fast}, {@code crsUriOnly:all}, {@code libinjectionSqli}
 * @param errors the 99.9% confidence half-width of each, in nanoseconds (NaN with one iteration)
 */
record DetectorsReport(Map<String, Double> nanosPerOp, Map<String, Double> errors) {
  /** A measure: its key (method, and parameter value where it has one), its label and JSON name. */
  record Measure(String key, String label, String json) {}

  static final List<Measure> MEASURES =
      List.of(
          new Measure(
              "baselineRegexScan", "baseline: one regex over an ordinary event", "baseline_ns"),
          new Measure(
              "libinjectionSqli", "libinjection SQLi, one wfuzz payload", "libinjection_sqli_ns"),
          new Measure(
              "libinjectionXss", "libinjection XSS, one wfuzz payload", "libinjection_xss_ns"),
          new Measure(
              "crsUriOnly:all", "CRS transaction, URI only, all request rules", "crs_uri_all_ns"),
          new Measure(
              "crsUriOnly:attack", "CRS transaction, URI only, attack rules", "crs_uri_attack_ns"),
          new Measure(
              "crsUriHeadersForm:all",
              "CRS transaction, URI + headers + form, all rules",
              "crs_form_all_ns"),
          new Measure(
              "crsUriHeadersForm:attack",
              "CRS transaction, URI + headers + form, attack rules",
              "crs_form_attack_ns"),
          new Measure(
              "inspectOrdinary:complete",
              "inspect, ordinary mix, complete (before)",
              "inspect_ordinary_complete_ns"),
          new Measure("inspectOrdinary:fast", "inspect, ordinary mix", "inspect_ordinary_ns"),
          new Measure(
              "inspectOrdinaryTwoThreads",
              "inspect, ordinary mix, 2 threads (per thread)",
              "inspect_ordinary_2_threads_ns"),
          new Measure(
              "inspectAttacks", "inspect, wfuzz attack in a parameter", "inspect_attacks_ns"),
          new Measure(
              "inspectReviews", "inspect, IMDB review as a form body", "inspect_reviews_ns"));

  DetectorsReport {
    nanosPerOp = Map.copyOf(nanosPerOp);
    errors = Map.copyOf(errors);
  }

  Optional<Double> nanos(String key) {
    return Optional.ofNullable(nanosPerOp.get(key));
  }

  /** Ordinary events one thread inspects per second: one core's worth. */
  Optional<Double> eventsPerSecondPerCore() {
    return nanos("inspectOrdinary:fast").map(ns -> 1e9 / ns);
  }

  /** Ordinary events two threads inspect per second together. */
  Optional<Double> eventsPerSecondTwoThreads() {
    return nanos("inspectOrdinaryTwoThreads").map(ns -> 2e9 / ns);
  }

  /** The inspector's rate on the ordinary mix as a share of the baseline's, in the same run. */
  Optional<Double> inspectorVersusBaseline() {
    return ratio("baselineRegexScan", "inspectOrdinary:fast");
  }

  /** How many times faster the inspector is than the complete one, in the same run. */
  Optional<Double> speedUpOverComplete() {
    return ratio("inspectOrdinary:complete", "inspectOrdinary:fast");
  }

  private Optional<Double> ratio(String numerator, String denominator) {
    return nanos(numerator).flatMap(n -> nanos(denominator).map(d -> n / d));
  }

  List<String> table() {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "  %-52s %24s %12s", "measure", "ns/op", "ops/s"));
    for (Measure measure : MEASURES) {
      Double ns = nanosPerOp.get(measure.key());
      if (ns == null) {
        lines.add(String.format(Locale.ROOT, "  %-52s %24s", measure.label(), "not run"));
        continue;
      }
      Double error = errors.get(measure.key());
      String plusMinus =
          error == null || error.isNaN() ? "" : String.format(Locale.ROOT, " ± %,.0f", error);
      lines.add(
          String.format(
              Locale.ROOT,
              "  %-52s %24s %12s",
              measure.label(),
              String.format(Locale.ROOT, "%,.0f", ns) + plusMinus,
              String.format(Locale.ROOT, "%,.0f", 1e9 / ns)));
    }
    lines.add(
        "  inspector, ordinary mix: "
            + eventsPerSecondPerCore()
                .map(r -> format("%,.0f events/s per core", r))
                .orElse("not run")
            + ", "
            + eventsPerSecondTwoThreads()
                .map(r -> format("%,.0f events/s on 2 threads", r))
                .orElse("2 threads not run"));
    lines.add(
        "  ratios (same run): inspector / baseline rate "
            + inspectorVersusBaseline().map(r -> format("%.4f", r)).orElse("n/a")
            + ", speed-up over the complete inspector "
            + speedUpOverComplete().map(r -> format("%.2fx", r)).orElse("n/a"));
    return lines;
  }

  String json() {
    StringJoiner json = new StringJoiner(",", "{", "}");
    for (Measure measure : MEASURES) {
      json.add("\"" + measure.json() + "\":" + number(nanos(measure.key()), "%.1f"));
    }
    json.add("\"events_per_s_per_core\":" + number(eventsPerSecondPerCore(), "%.0f"));
    json.add("\"events_per_s_2_threads\":" + number(eventsPerSecondTwoThreads(), "%.0f"));
    json.add("\"inspector_vs_baseline\":" + number(inspectorVersusBaseline(), "%.5f"));
    json.add("\"speedup_vs_complete\":" + number(speedUpOverComplete(), "%.3f"));
    return json.toString();
  }

  private static String number(Optional<Double> value, String format) {
    return value.map(v -> format(format, v)).orElse("null");
  }

  private static String format(String format, double value) {
    return String.format(Locale.ROOT, format, value);
  }
}
