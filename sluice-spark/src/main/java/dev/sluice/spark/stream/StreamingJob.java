package dev.sluice.spark.stream;

import dev.sluice.store.Database;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.storage.StorageLevel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline as a Structured Streaming query: every micro-batch of the source is looked up in
 * the query's {@link BatchLedger}, then goes through the pipeline's transformation into its sink;
 * the batch's results are released afterwards. A replay of a committed batch (a crash between the
 * ledger's commit and Spark's commit log) is skipped. Source, transformation and sink are injected,
 * so a test can run the same pipeline on local data.
 */
public final class StreamingJob {
  private static final Logger log = LoggerFactory.getLogger(StreamingJob.class);

  /** The local property naming the scheduler pool of the jobs a thread starts. */
  static final String SCHEDULER_POOL = "spark.scheduler.pool";

  /** The pool of real-time queries ({@code fairscheduler.xml}): first to a free task slot. */
  static final String REAL_TIME_POOL = "realtime";

  private StreamingJob() {}

  /** A micro-batch's computed results, holding cached data until the sink has written them. */
  public interface BatchResults extends AutoCloseable {
    @Override
    void close();
  }

  public static <B extends BatchResults> StreamingQuery start(
      Dataset<Row> source,
      Function<Dataset<Row>, B> transformation,
      BatchSink<B> sink,
      BatchLedger ledger,
      CheckpointLog checkpoint,
      Trigger trigger) {
    CheckpointIdentity identity = new CheckpointIdentity(checkpoint, ledger);
    VoidFunction2<Dataset<Row>, Long> eachBatch =
        (batch, batchId) -> {
          BatchLedger.Batch ledgered = begin(identity, ledger, checkpoint, batchId);
          if (ledgered.committed()) {
            return;
          }
          try (B results = transformation.apply(batch)) {
            sink.write(ledgered, results);
          }
          FaultPoints.reach(FaultPoints.Point.AFTER_LEDGER_COMMIT);
        };
    return start(
        writer(source, ledger.query(), checkpoint).trigger(trigger).foreachBatch(eachBatch),
        ledger.query());
  }

  /** Where a stateful query's output goes: the rows its streaming stages emitted in a batch. */
  public interface StateOutputSink {
    /**
     * Writes the batch's output rows, idempotently (upserts keyed by what identifies a row, such as
     * a window and a key): after a crash the batch is run again and emits the same rows.
     */
    void write(long seq, Dataset<Row> output);

    /** Cumulative results, applied in the ledger's transaction; none unless overridden. */
    default void applyCumulative(Connection connection, long seq, Dataset<Row> output)
        throws SQLException {}
  }

  /**
   * The stateful shape: the source's records are decoded (rejected ones quarantined on the way),
   * then go through streaming {@code stages} (event-time windows with a watermark, aggregations,
   * {@code transformWithState}) whose state Spark keeps in the checkpoint's state store; each
   * batch's output goes to {@code sink}, and the batch is recorded in the ledger with the records
   * it read and the quarantine rows it claims.
   *
   * <p>The source must come from {@link
   * dev.sluice.spark.pipeline.PipelineContext#statefulKafkaStream}: without its checkpoint such a
   * query has lost its state, and refuses to start.
   */
  public static StreamingQuery startStateful(
      Dataset<Row> source,
      RecordDecoder decoder,
      Function<Dataset<Row>, Dataset<Row>> stages,
      OutputMode outputMode,
      StateOutputSink sink,
      Database database,
      BatchLedger ledger,
      CheckpointLog checkpoint,
      Trigger trigger) {
    return startStateful(
        List.of(source),
        decoder,
        null,
        decoded -> stages.apply(decoded.get(0)),
        outputMode,
        sink,
        database,
        ledger,
        checkpoint,
        trigger);
  }

  /**
   * The stateful shape over several sources, such as the topics of a pipeline's inputs: each
   * source's records are decoded (rejected ones quarantined on the way) and, when the decoder names
   * an id field, records whose id was read before are rejected as duplicates ({@link RecordIds});
   * {@code stages} get one decoded stream per source, in order.
   *
   * <p>Sources stay separate until the stages join them so that each can carry its own watermark
   * ({@link EventTimeInputs}): Spark then keeps the smallest, and an input that runs behind in
   * event time (a batch takes records in proportion to each partition's backlog, not to event time)
   * holds windows open instead of having its records dropped as late. Queries of one pipeline that
   * read the same topics share the pipeline's id claims: a claim names the record's Kafka
   * coordinates, so each query finds the claim its own copy of the record made or met.
   *
   * @param ids null to keep duplicates
   */
  public static StreamingQuery startStateful(
      List<Dataset<Row>> sources,
      RecordDecoder decoder,
      RecordIds ids,
      Function<List<Dataset<Row>>, Dataset<Row>> stages,
      OutputMode outputMode,
      StateOutputSink sink,
      Database database,
      BatchLedger ledger,
      CheckpointLog checkpoint,
      Trigger trigger) {
    List<Dataset<Row>> decoded = new ArrayList<>(sources.size());
    for (Dataset<Row> source : sources) {
      decoded.add(
          QuarantineWriter.quarantineOnTheWay(source, decoder, ids, database, ledger.pipeline()));
    }
    CheckpointIdentity identity = new CheckpointIdentity(checkpoint, ledger);
    VoidFunction2<Dataset<Row>, Long> eachBatch =
        (output, batchId) -> {
          BatchLedger.Batch ledgered =
              ledger.begin(identity.queryId(), batchId, checkpoint.endOffsets(batchId));
          Instant started = Instant.now();
          Dataset<Row> rows = output.persist(StorageLevel.MEMORY_AND_DISK());
          try {
            // Runs the stages whatever follows, even for a batch that emits nothing or that the
            // ledger already holds: Spark requires every state store of a batch to commit, and the
            // state must advance as it did the first time.
            rows.count();
            if (ledgered.committed()) {
              log.info(
                  "{}: batch {} is already committed; its writes skipped", ledger.query(), batchId);
              return;
            }
            FaultPoints.reach(FaultPoints.Point.AFTER_STATE_COMMIT);
            sink.write(ledgered.seq(), rows);
            commitClaimingQuarantine(
                ledger,
                ledgered,
                checkpoint,
                started,
                connection -> sink.applyCumulative(connection, ledgered.seq(), rows));
          } finally {
            rows.unpersist();
          }
        };
    return start(
        writer(stages.apply(List.copyOf(decoded)), ledger.query(), checkpoint)
            .outputMode(outputMode)
            .trigger(trigger)
            .foreachBatch(eachBatch),
        ledger.query());
  }

  /**
   * What a batch of the folding shape computes, and how its commit folds the result into the
   * pipeline's tables.
   *
   * @param <T> the batch's result, small enough for the driver (sums per key, say)
   */
  public interface BatchFold<T> {
    /**
     * The batch's one Spark job over its decoded records ({@link
     * QuarantineWriter#quarantineOnTheWay}'s Kafka coordinates and decoder fields, rejected records
     * already quarantined); deterministic, since a batch that did not commit runs again.
     */
    T compute(Dataset<Row> decoded);

    /** Folds the result into the pipeline's tables, in the ledger's transaction. */
    void fold(Connection connection, long seq, T result) throws SQLException;
  }

  /**
   * The folding shape, for a pipeline whose results are sums its own tables hold (counts per window
   * and key, say): the source's records are decoded (rejected ones quarantined on the way,
   * duplicates by id rejected when {@code ids} is given), each batch runs one job, {@link
   * BatchFold#compute}, and its result is folded into the tables in the transaction that records
   * the batch in the ledger, so a replayed batch, which the ledger skips, adds nothing twice. No
   * state lives in the checkpoint: a query that lost it resumes from the ledger's offsets. Nothing
   * is cached between jobs, since there is one.
   *
   * @param ids null to keep duplicates
   */
  public static <T> StreamingQuery startFolding(
      Dataset<Row> source,
      RecordDecoder decoder,
      RecordIds ids,
      BatchFold<T> fold,
      Database database,
      BatchLedger ledger,
      CheckpointLog checkpoint,
      Trigger trigger) {
    Dataset<Row> decoded =
        QuarantineWriter.quarantineOnTheWay(source, decoder, ids, database, ledger.pipeline());
    CheckpointIdentity identity = new CheckpointIdentity(checkpoint, ledger);
    VoidFunction2<Dataset<Row>, Long> eachBatch =
        (rows, batchId) -> {
          BatchLedger.Batch ledgered = begin(identity, ledger, checkpoint, batchId);
          if (ledgered.committed()) {
            return;
          }
          Instant started = Instant.now();
          T result = fold.compute(rows);
          commitClaimingQuarantine(
              ledger,
              ledgered,
              checkpoint,
              started,
              connection -> fold.fold(connection, ledgered.seq(), result));
        };
    return start(
        writer(decoded, ledger.query(), checkpoint).trigger(trigger).foreachBatch(eachBatch),
        ledger.query());
  }

  /** Looks the batch up in the ledger; a committed one, a replay, is logged as skipped. */
  private static BatchLedger.Batch begin(
      CheckpointIdentity identity, BatchLedger ledger, CheckpointLog checkpoint, long batchId) {
    BatchLedger.Batch ledgered =
        ledger.begin(identity.queryId(), batchId, checkpoint.endOffsets(batchId));
    if (ledgered.committed()) {
      log.info("{}: batch {} is already committed; replay skipped", ledger.query(), batchId);
    }
    return ledgered;
  }

  /**
   * Commits a batch whose rejected records were quarantined on the way: the records it read, from
   * the checkpoint's offsets, and the quarantine rows in its ranges, claimed for it. The crash
   * tests' fault points stand just before and just after the ledger's transaction.
   */
  private static void commitClaimingQuarantine(
      BatchLedger ledger,
      BatchLedger.Batch ledgered,
      CheckpointLog checkpoint,
      Instant started,
      BatchLedger.CommitWork work) {
    FaultPoints.reach(FaultPoints.Point.BEFORE_LEDGER_COMMIT);
    OffsetRanges read =
        OffsetRanges.between(checkpoint.startOffsets(ledgered.batchId()), ledgered.endOffsets());
    ledger.commitOnce(
        ledgered,
        connection ->
            new BatchLedger.BatchCounts(
                read.records(),
                QuarantineWriter.claim(connection, ledger.pipeline(), ledgered.seq(), read)),
        started,
        work);
    FaultPoints.reach(FaultPoints.Point.AFTER_LEDGER_COMMIT);
  }

  /**
   * The real-time shape ({@code Trigger.RealTime}), for stateless queries that must answer in
   * milliseconds, writing one upsert per record to PostgreSQL: {@link #startRealTime(Dataset,
   * RecordDecoder, Function, RecordSink.Factory, Database, String, String, CheckpointLog, long)}
   * with {@code upsertSql} (keyed by Kafka coordinates) as the sink.
   */
  public static StreamingQuery startRealTime(
      Dataset<Row> source,
      RecordDecoder decoder,
      Function<Dataset<Row>, Dataset<Row>> transformation,
      String upsertSql,
      ExecutorJdbcWriter.RowBinder binder,
      Database database,
      String pipeline,
      String query,
      CheckpointLog checkpoint,
      long checkpointIntervalMs) {
    return startRealTime(
        source,
        decoder,
        transformation,
        JdbcRecordSink.factory(database, upsertSql, binder),
        database,
        pipeline,
        query,
        checkpoint,
        checkpointIntervalMs);
  }

  /**
   * The real-time shape ({@code Trigger.RealTime}), for stateless queries that must answer in
   * milliseconds: one long-running task per Kafka partition decodes each record, applies the
   * pipeline's stateless {@code transformation}, and writes it at once to the {@link RecordSink}
   * that {@code sinks} opens for its partition and epoch; rejected records go to quarantine in
   * {@code database}. Offsets are checkpointed every {@code checkpointIntervalMs}, once every sink
   * of the epoch has closed (delivered what it wrote); a restarted query replays from the last
   * checkpoint, which the idempotent writes absorb. There is no batch ledger: real-time batches are
   * long and their ids do not pin records.
   *
   * <p>Each task holds a task slot while the query runs: a Spark application needs a slot per
   * partition of its real-time queries' topics, besides those of its micro-batch queries.
   *
   * @param transformation stateless (map-like) operations on {@link DecodeOrQuarantine#decode}'s
   *     rows that keep its columns
   */
  public static StreamingQuery startRealTime(
      Dataset<Row> source,
      RecordDecoder decoder,
      Function<Dataset<Row>, Dataset<Row>> transformation,
      RecordSink.Factory sinks,
      Database database,
      String pipeline,
      String query,
      CheckpointLog checkpoint,
      long checkpointIntervalMs) {
    Dataset<Row> rows = transformation.apply(DecodeOrQuarantine.decode(source, decoder));
    SparkContext context = rows.sparkSession().sparkContext();
    // A query's jobs run in the pool its starting thread names (fairscheduler.xml).
    context.setLocalProperty(SCHEDULER_POOL, REAL_TIME_POOL);
    try {
      return start(
          writer(rows, query, checkpoint)
              .outputMode(OutputMode.Update())
              // Progress is written before and after each batch, not in the background: killed
              // while the background writer was mid-way, a query left a commit log without offsets
              // that Spark refused to restart from (found by the crash test).
              .option("asyncProgressTrackingEnabled", "false")
              .trigger(Trigger.RealTime(checkpointIntervalMs))
              .foreach(new RealTimeWriter(database, pipeline, sinks, rows.schema())),
          query);
    } finally {
      context.setLocalProperty(SCHEDULER_POOL, null);
    }
  }

  private static DataStreamWriter<Row> writer(
      Dataset<Row> output, String query, CheckpointLog checkpoint) {
    for (Path leftover : checkpoint.removeUnfinishedWrites()) {
      log.warn("{}: removed {}, left by a write the last run did not finish", query, leftover);
    }
    return output
        .writeStream()
        .queryName(query)
        .option("checkpointLocation", checkpoint.path().toAbsolutePath().toString());
  }

  private static StreamingQuery start(DataStreamWriter<Row> writer, String query) {
    try {
      return writer.start();
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the streaming query " + query + " did not start: " + e.getMessage(), e);
    }
  }

  /**
   * The checkpoint's query id, read once when the first batch runs (Spark writes it when the query
   * starts); ledger rows from before the ledger knew checkpoints are given to it then.
   */
  private static final class CheckpointIdentity {
    private final CheckpointLog checkpoint;
    private final BatchLedger ledger;
    private String queryId;

    CheckpointIdentity(CheckpointLog checkpoint, BatchLedger ledger) {
      this.checkpoint = checkpoint;
      this.ledger = ledger;
    }

    synchronized String queryId() {
      if (queryId == null) {
        queryId = checkpoint.queryId();
        int adopted = ledger.adoptRowsWithoutCheckpoint(queryId);
        if (adopted > 0) {
          log.info(
              "{}: {} ledger rows written before checkpoints were recorded now belong to checkpoint {}",
              ledger.query(),
              adopted,
              queryId);
        }
      }
      return queryId;
    }
  }
}
