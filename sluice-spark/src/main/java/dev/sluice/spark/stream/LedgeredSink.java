package dev.sluice.spark.stream;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The platform's exactly-once way to write a micro-batch, for every pipeline: per-record rows are
 * upserted by the executors, keyed by Kafka coordinates (writing them again after a crash changes
 * nothing), while the executors also sum the batch's totals; then the batch's cumulative results
 * are applied in the transaction that records it in the {@link BatchLedger}, so a replayed batch
 * adds nothing twice. A pipeline supplies the three parts.
 *
 * @param <B> the batch's results, views of one cached dataset
 * @param <T> the batch's totals, a few numbers the executors compute
 */
public abstract class LedgeredSink<B, T> implements BatchSink<B> {
  private static final Logger log = LoggerFactory.getLogger(LedgeredSink.class);

  private final BatchLedger ledger;

  protected LedgeredSink(BatchLedger ledger) {
    this.ledger = ledger;
  }

  /** Idempotent per-record writes (quarantine included), each a Spark job; they run at once. */
  protected abstract List<Runnable> perRecordWrites(long seq, B batch);

  /** The batch's totals, computed while the writes run. */
  protected abstract T totals(B batch);

  /**
   * What the ledger records of the batch: the records read. (Its quarantined count is read from the
   * quarantine rows of the batch.)
   */
  protected abstract BatchLedger.BatchCounts counts(T totals);

  /** Cumulative results, applied in the ledger's transaction. */
  protected abstract void applyCumulative(Connection connection, long seq, B batch, T totals)
      throws SQLException;

  @Override
  public final void write(BatchLedger.Batch ledgered, B batch) {
    Instant started = Instant.now();
    long seq = ledgered.seq();
    // The jobs read one cached batch: whichever reaches a partition first computes it (Kafka read,
    // decoding, the pipeline's work) while the others wait for it. Run together, they overlap their
    // fixed costs (job start, connections, commits) instead of paying them one after another.
    AtomicReference<T> totalsOfBatch = new AtomicReference<>();
    List<Runnable> jobs = new ArrayList<>(perRecordWrites(seq, batch));
    jobs.add(() -> totalsOfBatch.set(totals(batch)));
    SparkJobs.inParallel(jobs.toArray(Runnable[]::new));
    FaultPoints.reach(FaultPoints.Point.BEFORE_LEDGER_COMMIT);
    T totals = totalsOfBatch.get();
    AtomicReference<BatchLedger.BatchCounts> countsOfBatch = new AtomicReference<>();
    boolean committed =
        ledger.commitOnce(
            ledgered,
            connection -> {
              // Counted where they are, so the records the sink isolated count with those the
              // decoder rejected.
              BatchLedger.BatchCounts counts =
                  new BatchLedger.BatchCounts(
                      counts(totals).records(),
                      QuarantineWriter.count(connection, ledger.pipeline(), seq));
              countsOfBatch.set(counts);
              return counts;
            },
            started,
            connection -> applyCumulative(connection, seq, batch, totals));
    BatchLedger.BatchCounts counts = countsOfBatch.get();
    if (committed && counts.quarantined() > 0) {
      log.warn(
          "{}: batch {}: {} of {} records quarantined (see table quarantine)",
          ledger.query(),
          ledgered.batchId(),
          counts.quarantined(),
          counts.records());
    }
  }
}
