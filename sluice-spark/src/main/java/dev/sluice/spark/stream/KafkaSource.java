package dev.sluice.spark.stream;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A topic read with Spark's Kafka source: executors fetch their partitions directly from the
 * brokers, and the offsets of every micro-batch are logged in the checkpoint before it runs, so a
 * restarted query replays exactly the batch that was cut off.
 *
 * <p>Rows have Spark's Kafka schema: key, value (binary), topic, partition, offset, timestamp, ...
 */
public final class KafkaSource {
  private KafkaSource() {}

  public static Dataset<Row> stream(SparkSession spark, String bootstrapServers, String topic, long maxRecordsPerBatch) {
    return spark
        .readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", bootstrapServers)
        .option("subscribe", topic)
        .option("startingOffsets", "earliest")
        .option("maxOffsetsPerTrigger", maxRecordsPerBatch)
        // Records that vanish before they are read (retention, a deleted topic) fail the query
        // instead of being skipped silently: nothing is lost without a loud error.
        .option("failOnDataLoss", "true")
        .load();
  }
}
