package dev.sluice.spark.pipeline;

import dev.sluice.core.config.Flags;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.process.PermanentFailure;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.spark.stream.BatchLedger;
import dev.sluice.spark.stream.CheckpointLog;
import dev.sluice.spark.stream.KafkaSource;
import dev.sluice.spark.stream.RecordIds;
import dev.sluice.spark.stream.StartingOffsets;
import dev.sluice.store.Database;
import dev.sluice.store.redis.Redis;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything a pipeline's queries run with, chosen by whoever starts it: {@code ./sluice run}, a
 * benchmark or a test.
 *
 * @param spark the session every pipeline of the application shares
 * @param definition the pipeline being started
 * @param database where its results and the batch ledger are
 * @param kafka bootstrap servers
 * @param topics the topic read for each of the definition's inputs and written for each of its
 *     outputs (by name); those not listed use the topic of their own name
 * @param checkpoints the directory under which each query keeps {@code <query>/}
 * @param models where trained models are kept
 * @param maxRecordsPerBatch the most Kafka records one micro-batch reads
 * @param trigger when micro-batch queries run their batches
 * @param model for a pipeline that scores with a model, the version asked for ({@code newest} or a
 *     version name); empty keeps the version its last committed batch was scored with
 * @param options the values of {@code ./sluice run}'s options, among them those the pipelines
 *     declare in {@code runFlags()}; read a pipeline's with {@link Flags#optional}
 * @param redis where the pipelines that keep state in Redis find it; empty when none is configured
 * @param redisNamespace what the pipeline's Redis keys start with: its name in production, as its
 *     tables live in the platform's schema; a test or a benchmark picks its own
 */
public record PipelineContext(
    SparkSession spark,
    PipelineDefinition definition,
    Database database,
    String kafka,
    Map<String, String> topics,
    Path checkpoints,
    Path models,
    long maxRecordsPerBatch,
    Trigger trigger,
    Optional<String> model,
    Flags options,
    Optional<Redis> redis,
    String redisNamespace) {
  private static final Logger log = LoggerFactory.getLogger(PipelineContext.class);

  /**
   * A context without options (every pipeline option takes its default) and without Redis, whose
   * Redis keys would start with the pipeline's name.
   */
  public PipelineContext(
      SparkSession spark,
      PipelineDefinition definition,
      Database database,
      String kafka,
      Map<String, String> topics,
      Path checkpoints,
      Path models,
      long maxRecordsPerBatch,
      Trigger trigger,
      Optional<String> model) {
    this(
        spark,
        definition,
        database,
        kafka,
        topics,
        checkpoints,
        models,
        maxRecordsPerBatch,
        trigger,
        model,
        Flags.parse(List.of(), List.of()),
        Optional.empty(),
        definition.name());
  }

  /** Redis, for a pipeline that keeps state there; fails when none is configured. */
  public Redis requireRedis() {
    return redis.orElseThrow(
        () ->
            new PermanentFailure(
                "the "
                    + definition.name()
                    + " pipeline keeps its state in Redis, and none is configured: set SLUICE_REDIS,"
                    + " or start the platform with ./sluice infra"));
  }

  /** The topic that stands for one of the definition's inputs or outputs. */
  public String topic(InputTopic input) {
    return topics.getOrDefault(input.name(), input.name());
  }

  /**
   * A query's streaming read of an input's topic, in Spark's Kafka schema. With its checkpoint the
   * query resumes where the checkpoint says; without one, where the ledger says its last committed
   * batch ended (the store, not the checkpoint, is then the source of truth), or from the earliest
   * offsets when it never committed.
   */
  public Dataset<Row> kafkaStream(String query, InputTopic input) {
    String topic = topic(input);
    String starting = "earliest";
    CheckpointLog checkpoint = checkpoint(query);
    if (!checkpoint.exists()) {
      Optional<String> committed = ledger(query).committedOffsets();
      if (committed.isPresent()) {
        int partitions;
        try (KafkaTopics admin = new KafkaTopics(kafka)) {
          partitions = admin.partitions(topic);
        }
        starting = StartingOffsets.resume(committed.get(), topic, partitions);
        log.info(
            "{}: no checkpoint at {}; resuming topic {} from the ledger's committed offsets {}",
            query,
            checkpoint.path(),
            topic,
            starting);
      }
    }
    return KafkaSource.stream(spark, kafka, topic, maxRecordsPerBatch, starting);
  }

  /**
   * A stateful query's streaming read of an input's topic. Its state (windows, aggregates) lives in
   * its checkpoint and cannot be rebuilt from the store: without the checkpoint, a query that has
   * committed batches refuses to start, saying what to do.
   */
  public Dataset<Row> statefulKafkaStream(String query, InputTopic input) {
    CheckpointLog checkpoint = checkpoint(query);
    if (!checkpoint.exists() && ledger(query).hasCommitted()) {
      throw new IllegalStateException(
          "query "
              + query
              + " has committed batches, but its checkpoint "
              + checkpoint.path()
              + " is missing: its state (windows, aggregates) lived there and cannot be rebuilt"
              + " from the database. Restore the checkpoint, or start the pipeline over by deleting"
              + " its results and its rows in pipeline_batches");
    }
    return KafkaSource.stream(spark, kafka, topic(input), maxRecordsPerBatch);
  }

  /**
   * A real-time query's streaming read of an input's topic. Without its checkpoint it starts from
   * the earliest offsets: its writes are idempotent per record, so a replay costs time, not
   * correctness.
   */
  public Dataset<Row> realTimeKafkaStream(InputTopic input) {
    return KafkaSource.realTimeStream(spark, kafka, topic(input));
  }

  /** Where a query keeps its checkpoint. */
  public CheckpointLog checkpoint(String query) {
    return new CheckpointLog(checkpoints.resolve(query));
  }

  /** Where this pipeline's records claim their ids (see {@link RecordIds}). */
  public RecordIds recordIds() {
    return new RecordIds(database, definition.name());
  }

  /** The batch ledger of one of the pipeline's queries. */
  public BatchLedger ledger(String query) {
    return new BatchLedger(database, definition.name(), query);
  }
}
