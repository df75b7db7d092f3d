package dev.sluice.server.calls;

import dev.sluice.server.pipeline.LiveFeed;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The calls page's live state as of the last committed batch: the newest day's counts and
 * dispositions, the top call types and calls per hour of day of the newest week, and the unknown
 * codes. All are small aggregates of {@code calls_hourly}, so a change is the whole view again: a
 * batch rewrites the counts of its hours, and the page redraws from what it is sent.
 */
final class CallsLiveFeed implements LiveFeed {
  static final int HOURS = 24;

  /** Top types and hours of the day over the newest week: enough to show a day's rhythm. */
  static final int WEEK = 7 * 24;

  static final int HOUR_ROWS = 500;
  static final int TOP_TYPES = 15;
  static final int UNKNOWN_CODES = 20;

  record View(
      long lastSeq,
      List<CallsQueries.HourCount> hours,
      List<CallsQueries.TypeCount> topTypes,
      List<CallsQueries.HourOfDay> hourOfDay,
      List<CallsQueries.DispositionHour> dispositions,
      List<CallsQueries.CodeCount> unknownCodes) {}

  private View view = new View(-1, List.of(), List.of(), List.of(), List.of(), List.of());

  @Override
  public View load(Connection c) throws SQLException {
    view = read(c, CallsQueries.lastCommittedSeq(c));
    return view;
  }

  @Override
  public Optional<Object> changes(Connection c) throws SQLException {
    long seq = CallsQueries.lastCommittedSeq(c);
    if (seq < view.lastSeq()) {
      return Optional.empty(); // the tables were reset: start over
    }
    view = read(c, seq);
    return Optional.of(view);
  }

  @Override
  public View snapshot() {
    return view;
  }

  static View read(Connection c, long seq) throws SQLException {
    return new View(
        seq,
        CallsQueries.recentHours(c, seq, HOURS, HOUR_ROWS),
        CallsQueries.topTypes(c, seq, WEEK, TOP_TYPES),
        CallsQueries.perHourOfDay(c, seq, WEEK),
        CallsQueries.dispositionsOverTime(c, seq, HOURS),
        CallsQueries.unknownCodes(c, seq, UNKNOWN_CODES));
  }
}
