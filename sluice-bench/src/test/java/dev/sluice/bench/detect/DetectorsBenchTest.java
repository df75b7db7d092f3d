package dev.sluice.bench.detect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flags;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.options.Options;

class DetectorsBenchTest {
  private static Options options(String... args) {
    return DetectorsBench.options(Flags.parse(List.of(args), DetectorsBench.FLAGS));
  }

  @Test
  void theDefaultsAreOneForkOneWarmUpAndThreeShortIterations() {
    Options options = options();

    assertThat(options.getForkCount().get()).isEqualTo(1);
    assertThat(options.getWarmupIterations().get()).isEqualTo(1);
    assertThat(options.getWarmupTime().get().getTime()).isEqualTo(2);
    assertThat(options.getMeasurementIterations().get()).isEqualTo(3);
    assertThat(options.getMeasurementTime().get().getTime()).isEqualTo(1);
    assertThat(options.shouldFailOnError().get()).isEqualTo(true);
  }

  @Test
  void flagsSetForksIterationsAndWhichBenchmarksRun() {
    Options options =
        options("--forks", "3", "--warmup-seconds", "0", "--iterations", "5", "--include", "crs");

    assertThat(options.getForkCount().get()).isEqualTo(3);
    assertThat(options.getWarmupIterations().get()).isEqualTo(0);
    assertThat(options.getMeasurementIterations().get()).isEqualTo(5);
    assertThat(options.getIncludes())
        .singleElement()
        .satisfies(
            include ->
                assertThat("dev.sluice.bench.detect.DetectorBenchmarks.crsUriOnly")
                    .matches(include));
    assertThat(options.getIncludes().get(0))
        .satisfies(
            include ->
                assertThat("dev.sluice.bench.detect.DetectorBenchmarks.inspectAttacks")
                    .doesNotMatch(include));
  }

  @Test
  void badFlagsAreReportedTogether() {
    assertThatThrownBy(() -> options("--forks", "0", "--include", "(", "--seconds", "x"))
        .isInstanceOf(ConfigException.class)
        .satisfies(
            e ->
                assertThat(((ConfigException) e).problems())
                    .hasSize(3)
                    .anySatisfy(p -> assertThat(p).contains("--forks"))
                    .anySatisfy(p -> assertThat(p).contains("--include"))
                    .anySatisfy(p -> assertThat(p).contains("--seconds")));
  }

  @Test
  void theReportGivesRowsRatesRatiosAndOneJsonLine() {
    DetectorsReport report =
        new DetectorsReport(
            Map.of(
                "baselineRegexScan", 2_000.0,
                "libinjectionSqli", 800.0,
                "inspectOrdinary:complete", 500_000.0,
                "inspectOrdinary:fast", 200_000.0,
                "inspectOrdinaryTwoThreads", 250_000.0),
            Map.of("inspectOrdinary:fast", 10_000.0, "baselineRegexScan", Double.NaN));

    assertThat(report.table())
        .contains(
            "  baseline: one regex over an ordinary event                              2,000      500,000",
            "  inspect, ordinary mix                                        200,000 ± 10,000        5,000",
            "  CRS transaction, URI only, all request rules                          not run",
            "  inspector, ordinary mix: 5,000 events/s per core, 8,000 events/s on 2 threads",
            "  ratios (same run): inspector / baseline rate 0.0100, speed-up over the complete"
                + " inspector 2.50x");
    assertThat(report.json())
        .startsWith(
            "{\"baseline_ns\":2000.0,\"libinjection_sqli_ns\":800.0,\"libinjection_xss_ns\":null,")
        .contains("\"inspect_ordinary_ns\":200000.0")
        .endsWith(
            "\"events_per_s_per_core\":5000,\"events_per_s_2_threads\":8000,"
                + "\"inspector_vs_baseline\":0.01000,\"speedup_vs_complete\":2.500}");
  }
}
