package dev.sluice.spark.revenue;

import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.stream.ExecutorProducers;
import dev.sluice.spark.stream.RecordSink;
import dev.sluice.spark.stream.RedisRetry;
import dev.sluice.store.redis.Redis;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.spark.sql.Row;

/**
 * The {@code revenue-latest} query's sink: each record is applied to Redis by {@link
 * LatestStateScript}; when it is its id's latest afterwards (applied now, or the very record
 * already stored), the id's computed state ({@link RevenueResults#computed}) is published to the
 * computed topic, keyed by id. Closing the sink at the end of an epoch flushes the producer and
 * fails if anything sent was not acknowledged, so the epoch's offsets are never checkpointed past
 * an unsent result.
 *
 * <p>Why a replay leaves every key's last value right: a record older than the id's latest
 * publishes nothing, and the latest publishes its own state again. Records of one id are applied in
 * the order of their partition by one task, which sends in that order; an id whose records are
 * spread over several partitions (producers key by id, so this does not happen) could see the
 * states of two tasks published out of order.
 */
final class LatestStateSink implements RecordSink {
  private final Redis redis;
  private final LatestStateScript script;
  private final String kafka;
  private final KafkaProducer<String, byte[]> producer;
  private final ComputedStates computed;

  private LatestStateSink(Redis redis, LatestStateScript script, String kafka, String topic) {
    this.redis = redis;
    this.script = script;
    this.kafka = kafka;
    this.producer = ExecutorProducers.producer(kafka);
    this.computed = new ComputedStates(producer, topic);
  }

  /**
   * @param namespace the pipeline's Redis namespace ({@link RevenueKeys})
   * @param computedTopic where the computed states go
   */
  static RecordSink.Factory factory(
      Redis redis, String namespace, String kafka, String computedTopic) {
    return (partitionId, epochId) ->
        new LatestStateSink(
            redis, new LatestStateScript(new RevenueKeys(namespace)), kafka, computedTopic);
  }

  @Override
  public void write(Row row) {
    RevenueRecord record = RevenueDecoder.record(row);
    computed.publishIfLatest(
        RedisRetry.call(redis, "applying a revenue record", jedis -> script.apply(jedis, record)),
        record);
  }

  @Override
  public void close() {
    Optional<Exception> failed = computed.flush();
    if (failed.isPresent()) {
      ExecutorProducers.discard(kafka, producer);
      throw new IllegalStateException(
          "a computed revenue state was not acknowledged by Kafka (topic "
              + computed.topic()
              + "): "
              + failed.get().getMessage(),
          failed.get());
    }
  }
}
