package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice bench security} end to end on a few thousand sensor events, as {@link BenchMain}
 * runs it: the harness's real-time path, which counts and times the injection query by its alerts
 * and markers instead of a ledger. Every phase runs and checks itself (the alerts per class equal
 * the plain loop's findings). No timing is asserted.
 */
class SecurityBenchIT {
  static final int RECORDS = 2_000;

  @Test
  void measuresTheRealTimeQueryByItsAlerts() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    SluiceConfig config =
        BenchSetup.config(platform, Files.createTempDirectory("sluice-security-bench"), Map.of());
    BenchSetup.Run run =
        BenchSetup.run(
            config,
            SecurityDefinition.NAME,
            "--records",
            Integer.toString(RECORDS),
            "--latency-rate",
            "400",
            "--warm-up-seconds",
            "0",
            "--latency-seconds",
            "5");
    BenchReport report = run.report();
    String log = run.log();
    JsonNode json = run.json();
    assertThat(json.get("records").asLong()).isEqualTo(RECORDS);
    assertThat(json.get("pipeline_rps").asLong()).as(log).isPositive();
    assertThat(json.get("baseline_rps").asLong()).isPositive();
    assertThat(log)
        .contains(
            "checked: every partition's end marker has its result in the store",
            "plain loop: read 2,002 records",
            "plain loop: its findings equal the pipeline's alerts, per class: {");
    assertThat(report.latency().sent()).isEqualTo(2_000);
    assertThat(report.latency().committed())
        .as("the end markers' alerts were written: every event was read")
        .isEqualTo(2_000);
    assertThat(report.latency().stats().records())
        .as("the simulator's injection attempts among 2,000 events were alerted: " + log)
        .isPositive();
    assertThat(report.summary(2, 1.0))
        .first()
        .asString()
        .startsWith("Sluice security benchmark: 2,000 sensor events");
    assertThat(report.summary(2, 1.0))
        .anySatisfy(line -> assertThat(line).contains("target p99 <= 100 ms").contains("alerted"));
  }
}
