package dev.sluice.store.calls;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Writes to {@code calls_hourly}: the hour's count per call type and disposition, upserted whole
 * ({@link #UPSERT}) or added to ({@link #ADD}), with the same parameters.
 */
public final class HourlyCountsTable {
  /**
   * Sets the count: the calls pipeline's sink writes each changed key's full count, so that writing
   * it again (a replayed batch) leaves the row as it was.
   */
  public static final String UPSERT =
      "INSERT INTO calls_hourly (window_start, call_type, disposition, description, count,"
          + " updated_seq) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (window_start, call_type, disposition) DO UPDATE SET"
          + " description = EXCLUDED.description, count = EXCLUDED.count,"
          + " updated_seq = EXCLUDED.updated_seq";

  /**
   * Adds to the count, for writers that count on several threads by record, not by key, and commit
   * each count once (the benchmark's plain loop).
   */
  public static final String ADD =
      "INSERT INTO calls_hourly (window_start, call_type, disposition, description, count,"
          + " updated_seq) VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (window_start, call_type, disposition) DO UPDATE SET"
          + " description = EXCLUDED.description, count = calls_hourly.count + EXCLUDED.count,"
          + " updated_seq = EXCLUDED.updated_seq";

  private HourlyCountsTable() {}

  /**
   * Binds one row to {@link #UPSERT} or {@link #ADD}.
   *
   * @param seq the ledger seq of the batch that writes it
   */
  public static void bind(
      PreparedStatement upsert,
      Timestamp windowStart,
      String callType,
      String disposition,
      String description,
      long count,
      long seq)
      throws SQLException {
    upsert.setTimestamp(1, windowStart);
    upsert.setString(2, callType);
    upsert.setString(3, disposition);
    upsert.setString(4, description);
    upsert.setLong(5, count);
    upsert.setLong(6, seq);
  }
}
