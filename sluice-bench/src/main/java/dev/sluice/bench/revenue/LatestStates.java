package dev.sluice.bench.revenue;

import dev.sluice.bench.BenchTarget;
import dev.sluice.bench.InvalidRunException;
import dev.sluice.bench.PlainLoopWork;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.core.revenue.RevenueResults;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.spark.revenue.LatestStateScript;
import dev.sluice.store.redis.RedisPool;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
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
  private final String topic;
  private final KafkaProducer<String, byte[]> producer;
  private final AtomicReference<Exception> failedSend = new AtomicReference<>();
  private final Map<String, String> latestVersions = new HashMap<>();
  private long rejected;
  private boolean closed;

  LatestStates(BenchTarget target) {
    this.namespace = target.redisNamespace();
    this.pool = target.requireRedis().openPool();
    this.jedis = pool.borrow();
    this.script = new LatestStateScript(new RevenueKeys(namespace));
    this.topic = target.topic(RevenueDefinition.COMPUTED);
    this.producer =
        new KafkaProducer<>(
            ReliableProducer.perRecordProperties(target.kafka(), "sluice-bench-plain-loop"));
  }

  @Override
  public void accept(byte[] key, byte[] value) {
    RevenueCodec.Decoded decoded = RevenueCodec.decode(value);
    if (!decoded.ok()) {
      rejected++;
      return;
    }
    RevenueRecord record = decoded.record();
    if (script.apply(jedis, record).isLatest()) {
      producer.send(
          new ProducerRecord<>(
              topic, record.id(), JsonRecords.write(RevenueResults.computed(record))),
          (metadata, error) -> {
            if (error != null) {
              failedSend.compareAndSet(null, error);
            }
          });
    }
    latestVersions.merge(
        record.id(), record.version(), (held, next) -> next.compareTo(held) > 0 ? next : held);
  }

  String namespace() {
    return namespace;
  }

  String topic() {
    return topic;
  }

  /** Each id this thread read, to the version of its latest record. */
  Map<String, String> latestVersions() {
    return latestVersions;
  }

  long rejected() {
    return rejected;
  }

  /** Sends what is pending and fails when Kafka refused any of it; then lets go of everything. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      producer.flush();
      Exception failed = failedSend.get();
      if (failed != null) {
        throw new InvalidRunException(
            "the plain loop's computed states were not all sent to "
                + topic
                + ": "
                + failed.getMessage());
      }
    } finally {
      producer.close();
      jedis.close();
      pool.close();
    }
  }
}
