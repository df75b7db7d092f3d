package dev.sluice.spark.stream;

import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
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
          BatchLedger.Batch ledgered =
              ledger.begin(identity.queryId(), batchId, checkpoint.endOffsets(batchId));
          if (ledgered.committed()) {
            log.info("{}: batch {} is already committed; replay skipped", ledger.query(), batchId);
            return;
          }
          try (B results = transformation.apply(batch)) {
            sink.write(ledgered, results);
          }
        };
    try {
      return source
          .writeStream()
          .queryName(ledger.query())
          .option("checkpointLocation", checkpoint.path().toAbsolutePath().toString())
          .trigger(trigger)
          .foreachBatch(eachBatch)
          .start();
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "the streaming query " + ledger.query() + " did not start: " + e.getMessage(), e);
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
