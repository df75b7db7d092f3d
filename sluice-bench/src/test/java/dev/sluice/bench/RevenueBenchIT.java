package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/**
 * {@code ./sluice bench revenue} end to end on a few thousand generated records, as {@link
 * BenchMain} runs it: the real-time query watched through what it announces in Redis, the plain
 * loop writing to its own namespace and topic, both compared, and both latencies measured. No
 * timing is asserted; the run's Redis namespaces are gone afterwards.
 */
class RevenueBenchIT {
  static final int RECORDS = 4_000;

  @Test
  void runsEveryPhaseComparesRedisAndTheComputedTopicAndCleansUp() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "revenue-bench-");
    SluiceConfig config =
        BenchSetup.config(platform, home, Map.of("SLUICE_REDIS", platform.redis()));
    BenchSetup.Run run =
        BenchSetup.run(
            config,
            RevenueDefinition.NAME,
            "--records",
            Integer.toString(RECORDS),
            "--latency-rate",
            "200",
            "--warm-up-seconds",
            "1",
            "--latency-seconds",
            "3");
    BenchReport report = run.report();
    String log = run.log();
    JsonNode json = run.json();
    assertThat(json.get("records").asLong()).as(log).isEqualTo(RECORDS);
    assertThat(json.get("pipeline_rps").asLong()).as(log).isPositive();
    assertThat(json.get("baseline_rps").asLong()).isPositive();
    assertThat(report.latency().sent()).as(log).isEqualTo(800);
    assertThat(report.latency().committed()).as(log).isEqualTo(800);
    assertThat(report.latency().stats().records())
        .as("every measured update that won was heard: " + log)
        .isPositive();
    assertThat(log)
        .contains(
            "every partition's end marker has its result in the store",
            "plain loop: its Redis state equals the pipeline's",
            "latency: Kafka timestamp to revenue.computed: p50");
    try (RedisPool pool = Redis.from(config).openPool();
        Jedis jedis = pool.borrow()) {
      assertThat(jedis.keys("bench-*")).as("the run's namespaces are removed").isEmpty();
    }
  }
}
