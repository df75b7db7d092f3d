package dev.sluice.server.calls;

import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.core.calls.RadioCodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;

/**
 * The questions the calls page, its API and its live feed ask of {@code calls_hourly}, one method
 * each, each taking the connection to use. Only committed rows count: the pipeline adds a batch's
 * counts in the transaction that records the batch in the ledger, and the reads take only rows
 * whose {@code updated_seq} the ledger holds besides, so that no other writer's rows can show
 * before their batch does. "Recent" hours are counted back from the newest hour in the table, not
 * from the wall clock: a replayed dataset is years old.
 */
final class CallsQueries {
  private CallsQueries() {}

  record HourCount(
      String windowStart, String callType, String disposition, String description, long count) {}

  record TypeCount(String callType, long count) {}

  record HourOfDay(int hour, long count) {}

  record DispositionHour(String windowStart, String disposition, String description, long count) {}

  record CodeCount(String disposition, long count) {}

  /** The highest seq the calls pipeline has committed, -1 before its first batch. */
  static long lastCommittedSeq(Connection c) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT coalesce(max(seq), -1) FROM pipeline_batches WHERE pipeline = ?")) {
      s.setString(1, CallsDefinition.NAME);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Committed rows of the newest {@code hours} hours; the parameters follow the text. */
  private static final String RECENT =
      " FROM calls_hourly WHERE updated_seq <= ? AND window_start >"
          + " (SELECT max(window_start) FROM calls_hourly WHERE updated_seq <= ?)"
          + " - make_interval(hours => ?)";

  /** Counts per hour, call type and disposition of the newest hours, newest first. */
  static List<HourCount> recentHours(Connection c, long seq, int hours, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT window_start, call_type, disposition, description, count"
                + RECENT
                + " ORDER BY window_start DESC, count DESC, call_type, disposition LIMIT ?")) {
      recent(s, seq, hours);
      s.setInt(4, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<HourCount> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(
              new HourCount(
                  iso(rs.getTimestamp(1)),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getString(4),
                  rs.getLong(5)));
        }
        return rows;
      }
    }
  }

  /** The most frequent call types of the newest hours, most frequent first. */
  static List<TypeCount> topTypes(Connection c, long seq, int hours, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT call_type, sum(count) AS calls"
                + RECENT
                + " GROUP BY call_type ORDER BY calls DESC, call_type LIMIT ?")) {
      recent(s, seq, hours);
      s.setInt(4, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<TypeCount> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new TypeCount(rs.getString(1), rs.getLong(2)));
        }
        return rows;
      }
    }
  }

  /** Calls per hour of the day in San Francisco, 0 to 23, over the newest hours. */
  static List<HourOfDay> perHourOfDay(Connection c, long seq, int hours) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT extract(hour FROM window_start AT TIME ZONE ?)::int AS hour, sum(count)"
                + RECENT
                + " GROUP BY hour ORDER BY hour")) {
      s.setString(1, PoliceCallCodec.ZONE_NAME);
      s.setLong(2, seq);
      s.setLong(3, seq);
      s.setInt(4, hours);
      try (ResultSet rs = s.executeQuery()) {
        List<HourOfDay> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new HourOfDay(rs.getInt(1), rs.getLong(2)));
        }
        return rows;
      }
    }
  }

  /** Calls per hour and disposition of the newest hours, oldest first. */
  static List<DispositionHour> dispositionsOverTime(Connection c, long seq, int hours)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT window_start, disposition, description, sum(count)"
                + RECENT
                + " GROUP BY window_start, disposition, description"
                + " ORDER BY window_start, disposition")) {
      recent(s, seq, hours);
      try (ResultSet rs = s.executeQuery()) {
        List<DispositionHour> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(
              new DispositionHour(
                  iso(rs.getTimestamp(1)), rs.getString(2), rs.getString(3), rs.getLong(4)));
        }
        return rows;
      }
    }
  }

  /** Dispositions outside the radio codes, most frequent first. */
  static List<CodeCount> unknownCodes(Connection c, long seq, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT disposition, sum(count) AS calls FROM calls_hourly"
                + " WHERE updated_seq <= ? AND description = ?"
                + " GROUP BY disposition ORDER BY calls DESC, disposition LIMIT ?")) {
      s.setLong(1, seq);
      s.setString(2, RadioCodes.UNKNOWN);
      s.setInt(3, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<CodeCount> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new CodeCount(rs.getString(1), rs.getLong(2)));
        }
        return rows;
      }
    }
  }

  private static void recent(PreparedStatement s, long seq, int hours) throws SQLException {
    s.setLong(1, seq);
    s.setLong(2, seq);
    s.setInt(3, hours);
  }

  private static String iso(Timestamp timestamp) {
    return timestamp.toInstant().toString();
  }
}
