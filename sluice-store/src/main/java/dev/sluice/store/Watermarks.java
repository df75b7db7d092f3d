package dev.sluice.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Event-time watermarks kept in {@code watermarks}, beside the batch ledger: for a query whose
 * windows live in its own tables, the watermark must move with the batches that committed, not with
 * the attempts. Read it and advance it in the ledger's transaction, and a batch replayed after a
 * crash finds the watermark its first attempt found.
 *
 * <p>The rule is Spark's (since 3.4) for late records: a batch is judged by the newest event time
 * of the batches before the last one, minus the allowed lateness; a window that ends at or before
 * that watermark is closed, and its records are late. The batch of slack keeps the records of a
 * Kafka partition that runs a little behind the others in event time (a batch takes records in
 * proportion to each partition's backlog, not to event time) from being dropped.
 */
public final class Watermarks {
  static final String READ =
      "SELECT newest_event, watermark, late FROM watermarks WHERE pipeline = ? AND query = ?";

  static final String WRITE =
      "INSERT INTO watermarks (pipeline, query, newest_event, watermark, late, updated_seq)"
          + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (pipeline, query) DO UPDATE SET"
          + " newest_event = EXCLUDED.newest_event, watermark = EXCLUDED.watermark,"
          + " late = EXCLUDED.late, updated_seq = EXCLUDED.updated_seq";

  /**
   * A query's watermark, as its committed batches left it.
   *
   * @param newestEvent the newest event time they read
   * @param watermark what the next batch is judged by; empty until two batches have committed
   * @param late records dropped so far because their window had closed
   */
  public record Watermark(Instant newestEvent, Optional<Instant> watermark, long late) {
    /** Whether a window ending at {@code windowEnd} is closed: its records are late. */
    public boolean closes(Instant windowEnd) {
      return watermark.isPresent() && !windowEnd.isAfter(watermark.get());
    }

    /**
     * The watermark after one more batch: this one's newest event time, minus the lateness, becomes
     * the next batch's watermark (it never moves back), and the batch's newest event time and late
     * records are added.
     *
     * @param batchNewest the batch's newest event time; empty when it read none
     */
    public Watermark after(Optional<Instant> batchNewest, Duration lateness, long batchLate) {
      Instant trailing = newestEvent.minus(lateness);
      Instant next =
          watermark.isPresent() && watermark.get().isAfter(trailing) ? watermark.get() : trailing;
      Instant newest =
          batchNewest.isPresent() && batchNewest.get().isAfter(newestEvent)
              ? batchNewest.get()
              : newestEvent;
      return new Watermark(newest, Optional.of(next), late + batchLate);
    }
  }

  private Watermarks() {}

  /** The watermark the query's committed batches left; empty before its first event. */
  public static Optional<Watermark> read(Connection connection, String pipeline, String query)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(READ)) {
      select.setString(1, pipeline);
      select.setString(2, query);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        Timestamp watermark = row.getTimestamp(2);
        return Optional.of(
            new Watermark(
                row.getTimestamp(1).toInstant(),
                Optional.ofNullable(watermark).map(Timestamp::toInstant),
                row.getLong(3)));
      }
    }
  }

  /**
   * Moves the query's watermark on by one batch, in the transaction that commits the batch.
   *
   * @param before what {@link #read} gave in this transaction
   * @param batchNewest the batch's newest event time; empty when it read none
   * @param lateness how far behind the newest event time the watermark trails
   * @param batchLate the batch's records dropped as late
   * @param seq the batch's ledger seq
   */
  public static void advance(
      Connection connection,
      String pipeline,
      String query,
      Optional<Watermark> before,
      Optional<Instant> batchNewest,
      Duration lateness,
      long batchLate,
      long seq)
      throws SQLException {
    Optional<Watermark> after =
        before.isPresent()
            ? Optional.of(before.get().after(batchNewest, lateness, batchLate))
            : batchNewest.map(newest -> new Watermark(newest, Optional.empty(), batchLate));
    if (after.isEmpty()) {
      return;
    }
    try (PreparedStatement upsert = connection.prepareStatement(WRITE)) {
      upsert.setString(1, pipeline);
      upsert.setString(2, query);
      upsert.setTimestamp(3, Timestamp.from(after.get().newestEvent()));
      if (after.get().watermark().isPresent()) {
        upsert.setTimestamp(4, Timestamp.from(after.get().watermark().get()));
      } else {
        upsert.setNull(4, Types.TIMESTAMP);
      }
      upsert.setLong(5, after.get().late());
      upsert.setLong(6, seq);
      upsert.executeUpdate();
    }
  }
}
