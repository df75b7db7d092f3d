package dev.sluice.spark;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.window;

import dev.sluice.core.files.Directories;
import dev.sluice.core.process.ClassDataArchive;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The training run of this module's class-data archive ({@link ClassDataArchive}): starts what a
 * pipeline starts, on nothing outside this JVM, so that the archive holds the classes a pipeline
 * loads before its first batch. A session as the pipelines build it; a Kafka source defined (not
 * started: there is no broker at build time) and a Kafka client; and three batches of a stateful
 * query (a broadcast join, event-time windows with a watermark, state in RocksDB, {@code
 * foreachBatch} caching its output), the shape of the calls, security and revenue queries.
 *
 * <p>The build runs it ({@code ./mvnw package}); by hand: {@code java -cp <the module's jar and
 * runtime classpath> -XX:ArchiveClassesAtExit=classes.jsa dev.sluice.spark.ClassDataTraining}.
 */
public final class ClassDataTraining {
  private static final int BATCHES = 3;

  private ClassDataTraining() {}

  public static void main(String[] args) throws Exception {
    Path checkpoint = Files.createTempDirectory("sluice-class-data-training-");
    SparkSession spark = SparkSessions.forPipelines("sluice-class-data-training", "local[2]", 2);
    try {
      defineKafkaSource(spark);
      runStatefulQuery(spark, checkpoint);
    } finally {
      spark.stop();
      Directories.deleteRecursively(checkpoint);
    }
  }

  private static void defineKafkaSource(SparkSession spark) {
    spark
        .readStream()
        .format("kafka")
        .option("kafka.bootstrap.servers", "127.0.0.1:9")
        .option("subscribe", "training")
        .load()
        .selectExpr("CAST(value AS STRING)", "topic", "partition", "offset", "timestamp");
    Properties producer = new Properties();
    producer.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
    producer.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    producer.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    new KafkaProducer<byte[], byte[]>(producer).close();
  }

  private static void runStatefulQuery(SparkSession spark, Path checkpoint) throws Exception {
    StructType codeSchema =
        new StructType()
            .add("code", DataTypes.LongType, false)
            .add("description", DataTypes.StringType, false);
    Dataset<Row> codes =
        spark.createDataFrame(
            List.of(RowFactory.create(0L, "even"), RowFactory.create(1L, "odd")), codeSchema);
    Dataset<Row> events =
        spark
            .readStream()
            .format("rate-micro-batch")
            .option("rowsPerBatch", 200)
            .option("numPartitions", 2)
            .load()
            .withColumn("code", col("value").mod(2))
            .withWatermark("timestamp", "10 seconds");
    Dataset<Row> counts =
        events
            .join(broadcast(codes), "code")
            .groupBy(window(col("timestamp"), "1 minute"), col("description"))
            .agg(count("*").as("count"));
    VoidFunction2<Dataset<Row>, Long> eachBatch =
        (batch, batchId) -> {
          Dataset<Row> rows = batch.persist(StorageLevel.MEMORY_AND_DISK());
          try {
            rows.count();
            rows.collectAsList();
          } finally {
            rows.unpersist();
          }
        };
    StreamingQuery query =
        counts
            .writeStream()
            .outputMode(OutputMode.Update())
            .option("checkpointLocation", checkpoint.toString())
            .trigger(Trigger.ProcessingTime(0))
            .foreachBatch(eachBatch)
            .start();
    try {
      while (query.isActive()
          && (query.lastProgress() == null || query.lastProgress().batchId() < BATCHES - 1)) {
        query.awaitTermination(100);
      }
      if (query.exception().isDefined()) {
        throw new IllegalStateException("the training query failed", query.exception().get());
      }
    } finally {
      query.stop();
    }
  }
}
