package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.spark.TestModels;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice bench reviews} end to end on a few thousand reviews, as {@link BenchMain} runs
 * it: the harness with the part the reviews definition names. Every phase runs and checks itself,
 * the JSON line has the promised fields, and nothing of the run is left behind. No timing is
 * asserted.
 */
class ReviewsBenchIT {
  static final int RECORDS = 2_000;

  @Test
  void runsEveryPhaseOnFreshResourcesAndRemovesThem() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Path home = TestModels.homeWithModel("bench");
    SluiceConfig config =
        BenchSetup.config(
            platform,
            home,
            Map.of(
                "SLUICE_REVIEWS_PARTITIONS",
                "4",
                // Several batches in the drain, as with the default size on a million records.
                "SLUICE_MAX_RECORDS_PER_BATCH",
                "1200"));
    BenchSetup.Run run =
        BenchSetup.run(
            config,
            ReviewsDefinition.NAME,
            "--records",
            Integer.toString(RECORDS),
            "--latency-rate",
            "300",
            "--warm-up-seconds",
            "0",
            "--latency-seconds",
            "2");
    BenchReport report = run.report();
    String log = run.log();
    JsonNode json = run.json();
    assertThat(json.fieldNames())
        .toIterable()
        .containsExactly(
            "records", "pipeline_rps", "baseline_rps", "ratio", "latency_p50_ms", "latency_p99_ms");
    assertThat(json.get("records").asLong()).isEqualTo(RECORDS);
    assertThat(json.get("pipeline_rps").asLong()).as(log).isPositive();
    assertThat(json.get("baseline_rps").asLong()).isPositive();
    assertThat(json.get("ratio").asDouble()).isPositive();
    assertThat(json.get("latency_p99_ms").asLong())
        .isGreaterThanOrEqualTo(json.get("latency_p50_ms").asLong())
        .isPositive();
    assertThat(report.latency().sent()).isEqualTo(600);
    assertThat(report.latency().committed()).isEqualTo(600);
    assertThat(report.latency().stats().records()).isEqualTo(600);
    assertThat(log)
        .contains(
            "plain loop: its word counts equal the pipeline's",
            "checked: the ledger holds every record, 0 quarantined;"
                + " the predictions hold every valid review");
    assertThat(report.summary(2, 1.0))
        .first()
        .asString()
        .startsWith("Sluice reviews benchmark: 2,000 reviews");
    assertThat(report.summary(2, 1.0)).anySatisfy(line -> assertThat(line).contains("ratio"));

    String runId = log.replaceAll("(?s).*bench: run (\\d+) .*", "$1");
    assertThat(runId).matches("\\d+");
    assertThat(home.resolve("bench").resolve(runId)).doesNotExist();
    assertThat(schemas(platform, "bench_" + runId + "%")).isZero();
    try (Admin admin = Admin.create(adminProperties(platform))) {
      // Deletion is acknowledged before every broker's metadata forgets the topic.
      long deadline = System.nanoTime() + 20_000_000_000L;
      while (admin.listTopics().names().get().stream().anyMatch(topic -> topic.contains(runId))
          && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      assertThat(admin.listTopics().names().get()).noneMatch(topic -> topic.contains(runId));
    }
  }

  private static long schemas(EmbeddedPlatform platform, String pattern) throws Exception {
    try (Connection connection = new Database(platform.dbUrl(), platform.dbUser(), null).connect();
        PreparedStatement select =
            connection.prepareStatement(
                "SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE ?")) {
      select.setString(1, pattern);
      try (ResultSet rows = select.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static Properties adminProperties(EmbeddedPlatform platform) {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka());
    return props;
  }
}
