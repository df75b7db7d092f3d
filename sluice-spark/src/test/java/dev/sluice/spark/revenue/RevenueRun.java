package dev.sluice.spark.revenue;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.spark.testing.PipelineRun;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisKeys;
import dev.sluice.store.redis.RedisPool;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;

/**
 * One run of the revenue pipeline as users run it (its own JVM), on topics, a schema, a Redis
 * namespace and checkpoints of its own, and what it has written so far.
 */
final class RevenueRun implements AutoCloseable {
  final PipelineRun pipeline;
  final RevenueKeys keys;
  final String records;
  final String computed;
  final String minutes;
  private final RedisPool redis;

  /**
   * @param records the input topic, written by the test
   * @param name the run's own name: its schema, namespace and output topics
   */
  RevenueRun(EmbeddedPlatform platform, String records, String name, long maxRecordsPerBatch)
      throws Exception {
    String redisUrl = platform.redis();
    this.records = records;
    this.computed = records + "-computed-" + name;
    this.minutes = records + "-minutes-" + name;
    this.keys = new RevenueKeys("revenue_" + name);
    Path home =
        Files.createTempDirectory(Path.of("target").toAbsolutePath(), "revenue-" + name + "-");
    String topics =
        RevenueDefinition.RECORDS.name()
            + "="
            + records
            + ","
            + RevenueDefinition.COMPUTED.name()
            + "="
            + computed
            + ","
            + RevenueDefinition.MINUTES.name()
            + "="
            + minutes;
    // A task slot per partition of the real-time query, and one for the minutes.
    this.pipeline =
        new PipelineRun(
                platform,
                RevenueDefinition.NAME,
                home,
                "revenue_" + name,
                topics,
                maxRecordsPerBatch)
            .onSparkMaster("local[3]")
            .withFlags(List.of("--redis-namespace", keys.namespace()))
            .withSettings(Map.of("SLUICE_REVENUE_WATERMARK_SECONDS", "120"));
    this.redis = new Redis(RedisUrl.parse(redisUrl), null).openPool();
    try (Jedis jedis = this.redis.borrow()) {
      // A namespace left by an earlier run of the same test would hide what this one writes.
      RedisKeys.delete(jedis, keys.namespace());
    }
  }

  Jedis redis() {
    return redis.borrow();
  }

  /** History entries in Redis: grows with every distinct record applied, never shrinks. */
  long historyEntries() {
    try (Jedis jedis = redis.borrow()) {
      long entries = 0;
      for (String key : RedisKeys.of(jedis, keys.namespace())) {
        if (key.startsWith(keys.namespace() + ":history:")) {
          entries += jedis.zcard(key);
        }
      }
      return entries;
    } catch (JedisException e) {
      return 0; // Redis restarting: the caller polls again
    }
  }

  long quarantined() {
    return count("SELECT count(*) FROM quarantine");
  }

  /** Records the minutes query has committed (its ledger). */
  long minutesRecords() {
    return count(
        "SELECT coalesce(sum(records), 0) FROM pipeline_batches WHERE query = '"
            + RevenueDefinition.MINUTES_QUERY
            + "'");
  }

  /** Whether both queries are through {@code total} records with these results. */
  boolean done(long historyEntries, long malformed, long total) {
    return historyEntries() >= historyEntries
        && quarantined() >= malformed
        && minutesRecords() >= total;
  }

  /** The combined progress of both queries, for the crash drill: it only grows. */
  long progress() {
    return historyEntries() + quarantined() + minutesRecords();
  }

  private long count(String sql) {
    try (Connection connection = pipeline.connect()) {
      return TableRows.count(connection, sql);
    } catch (SQLException e) {
      return 0; // before the pipeline's first start created the tables
    }
  }

  @Override
  public void close() {
    redis.close();
  }
}
