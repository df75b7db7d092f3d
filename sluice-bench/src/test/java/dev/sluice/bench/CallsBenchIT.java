package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice bench calls} end to end on a few thousand generated calls, as {@link BenchMain}
 * runs it: the harness with the part the calls definition names. Every phase runs and checks itself
 * (the hourly counts equal the plain loop's) and the JSON line has the promised fields. No timing
 * is asserted.
 */
class CallsBenchIT {
  static final int RECORDS = 3_000;

  @Test
  void runsEveryPhaseAndItsCountsEqualThePlainLoops() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "calls-bench-");
    SluiceConfig config =
        BenchSetup.config(platform, home, Map.of("SLUICE_MAX_RECORDS_PER_BATCH", "1000"));
    BenchSetup.Run run =
        BenchSetup.run(
            config,
            CallsDefinition.NAME,
            "--records",
            Integer.toString(RECORDS),
            "--latency-rate",
            "200",
            "--warm-up-seconds",
            "0",
            "--latency-seconds",
            "2");
    BenchReport report = run.report();
    String log = run.log();
    JsonNode json = run.json();
    assertThat(json.get("records").asLong()).as(log).isEqualTo(RECORDS);
    assertThat(json.get("pipeline_rps").asLong()).as(log).isPositive();
    assertThat(json.get("baseline_rps").asLong()).isPositive();
    assertThat(json.get("latency_p99_ms").asLong())
        .isGreaterThanOrEqualTo(json.get("latency_p50_ms").asLong())
        .isPositive();
    assertThat(report.latency().sent()).isEqualTo(400);
    assertThat(report.latency().committed()).isEqualTo(400);
    assertThat(log)
        .contains(
            "plain loop: its hourly counts, in memory and in its calls_hourly, equal the pipeline's",
            "addBatch: the pipeline and its sink",
            "checked: the ledger holds every record, 0 quarantined");
    assertThat(report.summary(2, 1.0))
        .first()
        .asString()
        .startsWith("Sluice calls benchmark: 3,000 calls");
  }
}
