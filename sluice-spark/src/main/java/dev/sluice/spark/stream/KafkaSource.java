package dev.sluice.spark.stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamReader;

/**
 * A topic read with Spark's Kafka source: executors fetch their partitions directly from the
 * brokers, and the offsets of every micro-batch are logged in the checkpoint before it runs, so a
 * restarted query replays exactly the batch that was cut off.
 *
 * <p>Rows have Spark's Kafka schema: key, value (binary), topic, partition, offset, timestamp, ...
 */
public final class KafkaSource {
  /** Records one poll of a micro-batch's task returns at most. */
  static final int MAX_POLL_RECORDS = 5_000;

  /** Bytes one fetch brings per partition at most: 5,000 records of up to 800 bytes. */
  static final int MAX_PARTITION_FETCH_BYTES = 4 * 1024 * 1024;

  private KafkaSource() {}

  /** A stream of the topic from its earliest offsets (a new checkpoint) or from its checkpoint. */
  public static Dataset<Row> stream(
      SparkSession spark, String bootstrapServers, String topic, long maxRecordsPerBatch) {
    return stream(spark, bootstrapServers, topic, maxRecordsPerBatch, "earliest");
  }

  /**
   * A stream of the topic that, without a checkpoint, starts at {@code startingOffsets}: {@code
   * earliest}, or JSON naming every partition's offset.
   */
  public static Dataset<Row> stream(
      SparkSession spark,
      String bootstrapServers,
      String topic,
      long maxRecordsPerBatch,
      String startingOffsets) {
    return reader(spark, bootstrapServers, topic, startingOffsets)
        .option("maxOffsetsPerTrigger", maxRecordsPerBatch)
        // After every poll, Spark's consumer asks the broker for the partition's earliest and
        // latest offsets: two round trips per 500 records at the client's defaults (1 MiB fetched
        // per partition). A micro-batch reads its range whole, so it polls larger chunks.
        .option("kafka.max.poll.records", MAX_POLL_RECORDS)
        .option("kafka.max.partition.fetch.bytes", MAX_PARTITION_FETCH_BYTES)
        .load();
  }

  /**
   * A stream of the topic for a real-time query, from the earliest offsets without a checkpoint:
   * its long-running tasks read what arrives, so no batch bound applies (Spark refuses one).
   */
  public static Dataset<Row> realTimeStream(
      SparkSession spark, String bootstrapServers, String topic) {
    return reader(spark, bootstrapServers, topic, "earliest").load();
  }

  private static DataStreamReader reader(
      SparkSession spark, String bootstrapServers, String topic, String startingOffsets) {
    return spark
        .readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrapServers)
        .option("subscribe", topic)
        .option("startingOffsets", startingOffsets)
        // Records that vanish before they are read (retention, a deleted topic) fail the query
        // instead of being skipped silently: nothing is lost without a loud error.
        .option("failOnDataLoss", "true")
        // A broker that is away fails a fetch within these bounds, and the pipeline's restarts
        // (PipelineMain) wait for it, instead of a task hanging on it.
        .option("kafka.request.timeout.ms", "20000")
        .option("kafka.default.api.timeout.ms", "30000");
  }
}
