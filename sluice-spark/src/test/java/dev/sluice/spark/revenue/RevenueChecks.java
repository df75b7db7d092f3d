package dev.sluice.spark.revenue;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.core.revenue.RevenueResults;
import dev.sluice.spark.testing.TopicReader;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import redis.clients.jedis.Jedis;

/** What a revenue run must have written, checked against the model of the records sent. */
final class RevenueChecks {
  /** Decimals read exactly, as the pipeline wrote them. */
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private RevenueChecks() {}

  /** Redis holds the model's latest records, histories, totals and top ids. */
  static void redisEqualsModel(RevenueRun run, RevenueModel model) {
    try (Jedis jedis = run.redis()) {
      for (RevenueRecord latest : model.latest.values()) {
        assertThat(new TreeMap<>(jedis.hgetAll(run.keys.latest(latest.id()))))
            .as("latest of %s", latest.id())
            .isEqualTo(RevenueModel.latestHash(latest));
        assertThat(jedis.zrange(run.keys.history(latest.id()), 0, -1))
            .as("history of %s", latest.id())
            .containsExactlyElementsOf(model.history.get(latest.id()));
      }
      assertThat(jedis.hgetAll(run.keys.totals()))
          .containsEntry("ids", Long.toString(model.ids()))
          .containsEntry("revenue_units", Long.toString(model.revenueUnits()));
      assertThat(RedisState.top(jedis, run.keys)).isEqualTo(model.top());
    }
  }

  /** The last value of each key on the computed topic is the id's latest state. */
  static void computedEqualsModel(String kafka, RevenueRun run, RevenueModel model) {
    Map<String, String> expected = new TreeMap<>();
    for (RevenueRecord latest : model.latest.values()) {
      expected.put(
          latest.id(),
          new String(JsonRecords.write(RevenueResults.computed(latest)), StandardCharsets.UTF_8));
    }
    assertThat(TopicReader.lastValueByKey(kafka, run.computed)).isEqualTo(expected);
  }

  /**
   * The minutes in Redis and on their topic: the figures of the distinct records within the
   * watermark, the distinct ids within 5% (an estimate).
   */
  static void minutesEqualModel(String kafka, RevenueRun run, RevenueTestRecords sent)
      throws IOException {
    Map<Long, RevenueTestRecords.MinuteFigures> expected = sent.minutes();
    Map<String, String> inRedis;
    try (Jedis jedis = run.redis()) {
      inRedis = jedis.hgetAll(run.keys.minutes());
    }
    assertThat(inRedis.keySet())
        .containsExactlyInAnyOrderElementsOf(
            expected.keySet().stream().map(String::valueOf).toList());
    Map<String, String> onTopic = TopicReader.lastValueByKey(kafka, run.minutes);
    assertThat(onTopic).hasSameSizeAs(expected);
    for (Map.Entry<Long, RevenueTestRecords.MinuteFigures> minute : expected.entrySet()) {
      String value = inRedis.get(Long.toString(minute.getKey()));
      JsonNode figures = JSON.readTree(value);
      RevenueTestRecords.MinuteFigures want = minute.getValue();
      assertThat(figures.get("records").asLong()).isEqualTo(want.records);
      assertThat(figures.get("revenue").decimalValue())
          .isEqualByComparingTo(new BigDecimal(want.revenueUnits).movePointLeft(4));
      assertThat(figures.get("revenue_counter").bigIntegerValue()).isEqualTo(want.revenueCounter);
      assertThat(figures.get("max_revenue").decimalValue())
          .isEqualByComparingTo(BigDecimal.valueOf(want.maxRevenueUnits, 4));
      assertThat(figures.get("ids").asLong())
          .isBetween(
              (long) Math.floor(want.ids.size() * 0.95) - 1,
              (long) Math.ceil(want.ids.size() * 1.05) + 1);
      String key = Instant.ofEpochMilli(minute.getKey()).toString();
      assertThat(onTopic.get(key)).as("minute %s on the topic", key).isEqualTo(value);
    }
  }

  /** Waits until {@code done}, failing when the pipeline dies or 300 s pass. */
  static void awaitOrFail(Process pipeline, RevenueRun run, BooleanSupplier done)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
    while (!done.getAsBoolean()) {
      assertThat(pipeline.isAlive())
          .as("pipeline died by itself; log: " + run.pipeline.log())
          .isTrue();
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the pipeline did not finish within 300 s: history entries "
                + run.historyEntries()
                + ", quarantined "
                + run.quarantined()
                + ", minutes' records "
                + run.minutesRecords()
                + "; log: "
                + run.pipeline.log());
      }
      Thread.sleep(200);
    }
  }
}
