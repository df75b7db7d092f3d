package dev.sluice.bench.revenue;

import dev.sluice.bench.BenchTarget;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.PlainLoopWork;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.spark.revenue.ComputedStates;
import dev.sluice.spark.revenue.LatestStateScript;
import dev.sluice.store.redis.RedisPool;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import redis.clients.jedis.Jedis;

/**
 * One plain-loop thread of the revenue benchmark: what any implementation of the pipeline's
 * per-record path must do, without Spark. It decodes each record, applies it to Redis with the
 * pipeline's own script ({@link LatestStateScript}) and, when the record is its id's latest, sends
 * the id's state to the computed topic; all of it in the plain loop's own namespace and topic, so
 * the results compare with the pipeline's. It also keeps each id's latest version in memory, for
 * the check.
 */
final class LatestStates implements PlainLoopWork, AutoCloseable {
  private final String namespace;
  private final RedisPool pool;
  private final Jedis jedis;
  private final LatestStateScript script;
  private final KafkaProducer<String, byte[]> producer;
  private final ComputedStates computed;
  private final Map<String, String> latestVersions = new HashMap<>();
  private long rejected;
  private boolean closed;

  LatestStates(BenchTarget target) {
    this.namespace = target.redisNamespace();
    this.pool = target.requireRedis().openPool();
    this.jedis = pool.borrow();
    this.script = new LatestStateScript(new RevenueKeys(namespace));
    this.producer =
        new KafkaProducer<>(
            ReliableProducer.perRecordProperties(target.kafka(), "sluice-bench-plain-loop"));
    this.computed = new ComputedStates(producer, target.topic(RevenueDefinition.COMPUTED));
  }

  @Override
  public void accept(byte[] key, byte[] value) {
    RevenueCodec.Decoded decoded = RevenueCodec.decode(value);
    if (!decoded.ok()) {
      rejected++;
      return;
    }
    RevenueRecord record = decoded.record();
    computed.publishIfLatest(script.apply(jedis, record), record);
    latestVersions.merge(
        record.id(), record.version(), (held, next) -> next.compareTo(held) > 0 ? next : held);
  }

  String namespace() {
    return namespace;
  }

  String topic() {
    return computed.topic();
  }

  /** Each id this thread read, to the version of its latest record. */
  Map<String, String> latestVersions() {
    return latestVersions;
  }

  long rejected() {
    return rejected;
  }

  /**
   * Sends what is pending, inside the timed part: the pipeline's sink does so at the end of each
   * epoch. Fails when Kafka refused any of it.
   */
  @Override
  public void finish() {
    Optional<Exception> failed = computed.flush();
    if (failed.isPresent()) {
      throw new InvalidRunException(
          "the plain loop's computed states were not all sent to "
              + computed.topic()
              + ": "
              + failed.get().getMessage());
    }
  }

  /** Lets go of the producer and Redis. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      producer.close();
    } finally {
      jedis.close();
      pool.close();
    }
  }
}
