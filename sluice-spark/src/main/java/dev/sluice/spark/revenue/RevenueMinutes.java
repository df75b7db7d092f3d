package dev.sluice.spark.revenue;

import static org.apache.spark.sql.functions.approx_count_distinct;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.timestamp_millis;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.window;

import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueResults;
import dev.sluice.spark.stream.ExecutorProducers;
import dev.sluice.spark.stream.RedisRetry;
import dev.sluice.spark.stream.StreamingJob;
import dev.sluice.store.redis.Redis;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * The {@code revenue-minutes} query's stages and sink: revenue per minute of event time.
 *
 * <p>Duplicates (the same id and version) are dropped while the watermark holds them; each minute
 * counts its records, their exact revenue (a sum of whole ten-thousandths as a 38-digit decimal,
 * which no number of records overflows), its distinct ids (an estimate: an exact count would keep
 * every id of the minute in the state store and write it again at every batch), the sum of the
 * records' counters and the largest revenue. A record later than the watermark is left out.
 */
final class RevenueMinutes {
  static final String WINDOW = "1 minute";
  private static final String EVENT_TIME = "event_time";

  /** The relative standard deviation of the distinct ids' estimate. */
  static final double IDS_RELATIVE_ERROR = 0.01;

  private RevenueMinutes() {}

  /**
   * Per minute: {@code start} (epoch milliseconds), {@code records}, {@code revenue_units}, {@code
   * ids}, {@code revenue_counter}, {@code max_revenue_units}.
   */
  static Dataset<Row> perMinute(Dataset<Row> records, int watermarkSeconds) {
    return records
        .withColumn(EVENT_TIME, timestamp_millis(col(RevenueDecoder.TIMESTAMP)))
        .withWatermark(EVENT_TIME, watermarkSeconds + " seconds")
        // The version starts with the event time, so the event time in the key changes nothing
        // but lets Spark drop a key's state once the watermark has passed it.
        .dropDuplicates(RevenueDecoder.ID, RevenueDecoder.VERSION, EVENT_TIME)
        .groupBy(window(col(EVENT_TIME), WINDOW))
        .agg(
            count("*").as("records"),
            sum(col(RevenueDecoder.REVENUE_UNITS).cast(DataTypes.createDecimalType(38, 0)))
                .as("revenue_units"),
            approx_count_distinct(col(RevenueDecoder.ID), IDS_RELATIVE_ERROR).as("ids"),
            sum(col(RevenueDecoder.REVENUE_COUNTER).cast(DataTypes.createDecimalType(38, 0)))
                .as("revenue_counter"),
            max(col(RevenueDecoder.REVENUE_UNITS)).as("max_revenue_units"))
        .select(
            unix_millis(col("window.start")).as("start"),
            col("records"),
            col("revenue_units"),
            col("ids"),
            col("revenue_counter"),
            col("max_revenue_units"));
  }

  static RevenueResults.Minute minute(Row row) {
    return new RevenueResults.Minute(
        row.getLong(row.fieldIndex("start")),
        row.getLong(row.fieldIndex("records")),
        row.getDecimal(row.fieldIndex("revenue_units")),
        row.getLong(row.fieldIndex("ids")),
        row.getDecimal(row.fieldIndex("revenue_counter")),
        row.getLong(row.fieldIndex("max_revenue_units")));
  }

  /**
   * Writes each minute a batch updated, with its full figures, to Redis ({@link
   * RevenueKeys#minutes()}, {@code HSET} start → JSON) and to the minutes topic (keyed by the
   * minute's start in ISO-8601): both keyed, so writing a batch again writes the same values. A
   * batch touches a few minutes, so the driver writes them.
   */
  static final class MinuteSink implements StreamingJob.StateOutputSink {
    private final Redis redis;
    private final RevenueKeys keys;
    private final String kafka;
    private final String topic;

    MinuteSink(Redis redis, RevenueKeys keys, String kafka, String topic) {
      this.redis = redis;
      this.keys = keys;
      this.kafka = kafka;
      this.topic = topic;
    }

    @Override
    public void write(long seq, Dataset<Row> output) {
      List<RevenueResults.Minute> minutes = new ArrayList<>();
      for (Row row : output.collectAsList()) {
        minutes.add(minute(row));
      }
      if (minutes.isEmpty()) {
        return;
      }
      Map<String, String> values = new LinkedHashMap<>();
      for (RevenueResults.Minute minute : minutes) {
        values.put(
            Long.toString(minute.start()),
            new String(JsonRecords.write(minute.toJson()), StandardCharsets.UTF_8));
      }
      RedisRetry.call(
          redis, "writing revenue minutes", jedis -> jedis.hset(keys.minutes(), values));
      KafkaProducer<String, byte[]> producer = ExecutorProducers.producer(kafka);
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (RevenueResults.Minute minute : minutes) {
        sent.add(
            producer.send(
                new ProducerRecord<>(topic, minute.key(), JsonRecords.write(minute.toJson()))));
      }
      producer.flush();
      try {
        for (Future<RecordMetadata> each : sent) {
          each.get();
        }
      } catch (ExecutionException e) {
        ExecutorProducers.discard(kafka, producer);
        throw new IllegalStateException(
            "revenue minutes were not acknowledged by Kafka (topic "
                + topic
                + "): "
                + e.getCause().getMessage(),
            e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while publishing revenue minutes", e);
      }
    }
  }
}
