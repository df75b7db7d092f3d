package dev.sluice.store.calls;

import java.sql.Array;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;

/**
 * Writes to {@code calls_hourly}: counts added to the hour's count per call type and disposition,
 * many keys per round trip ({@link #ADD_ALL}) or one per row of a JDBC batch ({@link #ADD}).
 */
public final class HourlyCountsTable {
  private static final String ADD_ON_CONFLICT =
      " ON CONFLICT (window_start, call_type, disposition) DO UPDATE SET"
          + " description = EXCLUDED.description, count = calls_hourly.count + EXCLUDED.count,"
          + " updated_seq = EXCLUDED.updated_seq";

  /**
   * Adds a batch's counts, given as arrays (window starts in epoch milliseconds, call types,
   * disposition codes, descriptions, counts), then the seq: the calls pipeline's sink, in the
   * ledger's transaction. In key order, whatever the order given: two writers that share keys then
   * wait for each other instead of deadlocking.
   */
  public static final String ADD_ALL =
      "INSERT INTO calls_hourly (window_start, call_type, disposition, description, count,"
          + " updated_seq) SELECT to_timestamp(u.start_ms / 1000.0), u.call_type, u.disposition,"
          + " u.description, u.count, ?"
          + " FROM unnest(?::bigint[], ?::text[], ?::text[], ?::text[], ?::bigint[])"
          + " AS u(start_ms, call_type, disposition, description, count)"
          + " ORDER BY u.start_ms, u.call_type, u.disposition"
          + ADD_ON_CONFLICT;

  /**
   * Adds to the count, one key per row of a JDBC batch: for writers that count on several threads
   * by record, not by key, and commit each count once (the benchmark's plain loop).
   */
  public static final String ADD =
      "INSERT INTO calls_hourly (window_start, call_type, disposition, description, count,"
          + " updated_seq) VALUES (?, ?, ?, ?, ?, ?)"
          + ADD_ON_CONFLICT;

  private HourlyCountsTable() {}

  /**
   * Binds a chunk of keys to {@link #ADD_ALL}: arrays of one length, in any order.
   *
   * @param seq the ledger seq of the batch that writes them
   */
  public static void bindAll(
      PreparedStatement addAll,
      Array windowStartsMs,
      Array callTypes,
      Array dispositions,
      Array descriptions,
      Array counts,
      long seq)
      throws SQLException {
    addAll.setLong(1, seq);
    addAll.setArray(2, windowStartsMs);
    addAll.setArray(3, callTypes);
    addAll.setArray(4, dispositions);
    addAll.setArray(5, descriptions);
    addAll.setArray(6, counts);
  }

  /**
   * Binds one row to {@link #ADD}.
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
