package dev.sluice.server.security;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The queries behind the security endpoints and live updates, on the tables of {@code
 * V1__alerts_incidents_traffic.sql}. Alerts and incidents are served as written: the injection
 * query writes them in real time, with no batch ledger to wait for. Every method takes the
 * connection to use, so the endpoints run them on the pool and the live feed on the listener's.
 * Every value a caller chose is a bind parameter; only the names of columns picked from a fixed set
 * ({@link Side}, {@link AlertMeasure}, {@link TrafficMeasure}) are written into the SQL.
 */
final class SecurityQueries {
  private SecurityQueries() {}

  /** The longest excerpt served: the page shows less, the API caller may want the context. */
  static final int EXCERPT_CHARS = 1000;

  /** A half-open span of time, {@code [from, to)}. */
  record Range(Instant from, Instant to) {}

  /** Which end of an alert: who attacked, or who was attacked. */
  enum Side {
    SOURCE("source"),
    TARGET("target");

    final String column;

    Side(String column) {
      this.column = column;
    }
  }

  /** What ranks sources and targets: how many alerts, or how many events they cover. */
  enum AlertMeasure {
    ALERTS("alerts"),
    EVENTS("events");

    final String column;

    AlertMeasure(String column) {
      this.column = column;
    }
  }

  /** What ranks traffic: bytes, or events (packets, requests). */
  enum TrafficMeasure {
    BYTES("bytes"),
    EVENTS("events");

    final String column;

    TrafficMeasure(String column) {
      this.column = column;
    }
  }

  /** Which traffic rows: whose query wrote them ({@code origin}), and from which input, if one. */
  record TrafficFilter(String origin, String input) {}

  record Incident(
      long id,
      @JsonProperty("class") String className,
      String source,
      String target,
      String openedAt,
      String updatedAt,
      String closedAt,
      boolean open,
      long events,
      long alerts,
      String firstDetectedAt) {}

  record Alert(
      long id,
      @JsonProperty("class") String className,
      String rule,
      String field,
      String excerpt,
      String source,
      String target,
      String eventTime,
      String windowStart,
      String windowEnd,
      long events,
      long sources,
      String topic,
      Integer partition,
      Long offset,
      String eventId,
      String appendedAt,
      String detectedAt,
      Long incidentId) {}

  record ClassMinute(
      String minute, @JsonProperty("class") String className, long alerts, long events) {}

  record Ranked(String name, long alerts, long events, String lastEventTime) {}

  record Minute(String minute, long bytes, long events) {}

  /** One host's or port's traffic over a range, and per minute within it. */
  record Series(String key, long bytes, long events, List<Minute> minutes) {}

  record Talker(String source, long bytes, long events, long targets) {}

  record Protocol(String proto, long bytes, long events) {}

  record NewHost(String host, String firstMinute) {}

  private static final String INCIDENT_COLUMNS =
      "id, class, source, target, opened_at, updated_at, closed_at, events, alerts, first_detected_at";

  private static final String ALERT_COLUMNS =
      "id, class, rule, field, left(excerpt, "
          + EXCERPT_CHARS
          + "), source, target, event_time, window_start, window_end, events, sources, topic,"
          + " kafka_partition, kafka_offset, event_id, appended_at, detected_at, incident_id";

  /** The incidents still open, the most recently active first. */
  static List<Incident> openIncidents(Connection c, String className, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + INCIDENT_COLUMNS
                + " FROM incidents WHERE closed_at IS NULL AND (?::text IS NULL OR class = ?)"
                + " ORDER BY updated_at DESC, id DESC LIMIT ?")) {
      s.setString(1, className);
      s.setString(2, className);
      s.setInt(3, limit);
      return incidents(s);
    }
  }

  /** How many incidents are open, of one class or all. */
  static long openIncidentCount(Connection c, String className) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(*) FROM incidents WHERE closed_at IS NULL"
                + " AND (?::text IS NULL OR class = ?)")) {
      s.setString(1, className);
      s.setString(2, className);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** Every incident, open or closed, the most recently opened first, one page of them. */
  static List<Incident> incidentHistory(Connection c, String className, int limit, int offset)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + INCIDENT_COLUMNS
                + " FROM incidents WHERE (?::text IS NULL OR class = ?)"
                + " ORDER BY opened_at DESC, id DESC LIMIT ? OFFSET ?")) {
      s.setString(1, className);
      s.setString(2, className);
      s.setInt(3, limit);
      s.setInt(4, offset);
      return incidents(s);
    }
  }

  static Optional<Incident> incident(Connection c, long id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("SELECT " + INCIDENT_COLUMNS + " FROM incidents WHERE id = ?")) {
      s.setLong(1, id);
      return incidents(s).stream().findFirst();
    }
  }

  /** An incident's alerts in event-time order, the first {@code limit}. */
  static List<Alert> incidentAlerts(Connection c, long incidentId, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + ALERT_COLUMNS
                + " FROM alerts WHERE incident_id = ? ORDER BY event_time, id LIMIT ?")) {
      s.setLong(1, incidentId);
      s.setInt(2, limit);
      return alerts(s);
    }
  }

  /** The alerts detected last, newest first. */
  static List<Alert> latestAlerts(Connection c, String className, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + ALERT_COLUMNS
                + " FROM alerts WHERE (?::text IS NULL OR class = ?)"
                + " ORDER BY detected_at DESC, id DESC LIMIT ?")) {
      s.setString(1, className);
      s.setString(2, className);
      s.setInt(3, limit);
      return alerts(s);
    }
  }

  /** The newest alert id, 0 before the first: what the live feed's poll compares. */
  static long lastAlertId(Connection c) throws SQLException {
    try (PreparedStatement s = c.prepareStatement("SELECT coalesce(max(id), 0) FROM alerts");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * What the open incidents look like, in a few numbers: any incident opened, grown or closed
   * changes at least one of them. Reads only the open ones (a partial index).
   */
  static List<Object> openIncidentsFingerprint(Connection c) throws SQLException {
    try (PreparedStatement s =
            c.prepareStatement(
                "SELECT count(*), coalesce(sum(events), 0), coalesce(sum(alerts), 0),"
                    + " coalesce(sum(id), 0), max(updated_at), max(opened_at)"
                    + " FROM incidents WHERE closed_at IS NULL");
        ResultSet rs = s.executeQuery()) {
      rs.next();
      return List.of(
          rs.getLong(1),
          rs.getLong(2),
          rs.getLong(3),
          rs.getLong(4),
          String.valueOf(iso(rs, 5)),
          String.valueOf(iso(rs, 6)));
    }
  }

  /** Alerts and the events they cover, per minute of event time and class, oldest first. */
  static List<ClassMinute> alertsPerMinute(Connection c, Range range, String className)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT date_trunc('minute', event_time) AS minute, class, count(*), sum(events)"
                + " FROM alerts WHERE event_time >= ? AND event_time < ?"
                + " AND (?::text IS NULL OR class = ?)"
                + " GROUP BY 1, 2 ORDER BY 1, 2")) {
      bindRange(s, 1, range);
      s.setString(3, className);
      s.setString(4, className);
      try (ResultSet rs = s.executeQuery()) {
        List<ClassMinute> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new ClassMinute(iso(rs, 1), rs.getString(2), rs.getLong(3), rs.getLong(4)));
        }
        return rows;
      }
    }
  }

  /**
   * The sources (or targets) with the most alerts (or events) in a range of event time. A
   * distributed flood's source is {@code *}, many sources at once: it is not ranked among sources.
   */
  static List<Ranked> top(
      Connection c, Side side, AlertMeasure by, Range range, String className, int limit)
      throws SQLException {
    String column = side.column;
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT "
                + column
                + ", count(*) AS alerts, sum(events) AS events, max(event_time)"
                + " FROM alerts WHERE event_time >= ? AND event_time < ?"
                + " AND (?::text IS NULL OR class = ?)"
                + (side == Side.SOURCE ? " AND source <> '*'" : "")
                + " GROUP BY "
                + column
                + " ORDER BY "
                + by.column
                + " DESC, "
                + column
                + " LIMIT ?")) {
      bindRange(s, 1, range);
      s.setString(3, className);
      s.setString(4, className);
      s.setInt(5, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Ranked> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new Ranked(rs.getString(1), rs.getLong(2), rs.getLong(3), iso(rs, 4)));
        }
        return rows;
      }
    }
  }

  /** The traffic rows of a filter in a range, as a subquery with four parameters. */
  private static final String TRAFFIC =
      "SELECT * FROM traffic_minutes WHERE origin = ? AND minute >= ? AND minute < ?"
          + " AND (?::text IS NULL OR input = ?)";

  private static int bindTraffic(PreparedStatement s, int at, TrafficFilter filter, Range range)
      throws SQLException {
    s.setString(at, filter.origin());
    bindRange(s, at + 1, range);
    s.setString(at + 3, filter.input());
    s.setString(at + 4, filter.input());
    return at + 5;
  }

  /**
   * Per minute, the traffic of the {@code limit} hosts with the most of it: a host's traffic is
   * what it sent and what it received.
   */
  static List<Series> hostTraffic(
      Connection c, TrafficFilter filter, Range range, TrafficMeasure by, int limit)
      throws SQLException {
    return series(
        c,
        "SELECT source AS key, minute, bytes, events FROM ("
            + TRAFFIC
            + ") t UNION ALL SELECT target, minute, bytes, events FROM ("
            + TRAFFIC
            + ") t",
        2,
        filter,
        range,
        by,
        limit);
  }

  /** Per minute, the traffic to the {@code limit} destination ports with the most of it. */
  static List<Series> portTraffic(
      Connection c, TrafficFilter filter, Range range, TrafficMeasure by, int limit)
      throws SQLException {
    return series(
        c,
        "SELECT dst_port::text AS key, minute, bytes, events FROM (" + TRAFFIC + ") t",
        1,
        filter,
        range,
        by,
        limit);
  }

  /**
   * The top {@code limit} keys of {@code rows} (key, minute, bytes, events) and their minutes.
   *
   * @param copies how many times {@code rows} holds {@link #TRAFFIC}, each binding its parameters
   */
  private static List<Series> series(
      Connection c,
      String rows,
      int copies,
      TrafficFilter filter,
      Range range,
      TrafficMeasure by,
      int limit)
      throws SQLException {
    String measure = by.column;
    try (PreparedStatement s =
        c.prepareStatement(
            "WITH r AS ("
                + rows
                + "), top AS (SELECT key, sum(bytes) AS bytes, sum(events) AS events FROM r"
                + " GROUP BY key ORDER BY "
                + measure
                + " DESC, key LIMIT ?)"
                + " SELECT top.key, top.bytes, top.events, r.minute, sum(r.bytes), sum(r.events)"
                + " FROM r JOIN top ON r.key = top.key"
                + " GROUP BY top.key, top.bytes, top.events, r.minute"
                + " ORDER BY top."
                + measure
                + " DESC, top.key, r.minute")) {
      int at = 1;
      for (int i = 0; i < copies; i++) {
        at = bindTraffic(s, at, filter, range);
      }
      s.setInt(at, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Series> result = new ArrayList<>();
        List<Minute> minutes = null;
        String key = null;
        while (rs.next()) {
          if (!rs.getString(1).equals(key)) { // rows come grouped by key
            key = rs.getString(1);
            minutes = new ArrayList<>();
            result.add(new Series(key, rs.getLong(2), rs.getLong(3), minutes));
          }
          minutes.add(new Minute(iso(rs, 4), rs.getLong(5), rs.getLong(6)));
        }
        return result;
      }
    }
  }

  /** The sources that sent the most, with how many distinct targets they sent to. */
  static List<Talker> topTalkers(
      Connection c, TrafficFilter filter, Range range, TrafficMeasure by, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT source, sum(bytes) AS bytes, sum(events) AS events, count(DISTINCT target)"
                + " FROM ("
                + TRAFFIC
                + ") t GROUP BY source ORDER BY "
                + by.column
                + " DESC, source LIMIT ?")) {
      s.setInt(bindTraffic(s, 1, filter, range), limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Talker> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new Talker(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
        }
        return rows;
      }
    }
  }

  /** Bytes and events per protocol, the most bytes first. */
  static List<Protocol> protocols(Connection c, TrafficFilter filter, Range range, int limit)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT proto, sum(bytes) AS bytes, sum(events) AS events FROM ("
                + TRAFFIC
                + ") t GROUP BY proto ORDER BY bytes DESC, proto LIMIT ?")) {
      s.setInt(bindTraffic(s, 1, filter, range), limit);
      try (ResultSet rs = s.executeQuery()) {
        List<Protocol> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new Protocol(rs.getString(1), rs.getLong(2), rs.getLong(3)));
        }
        return rows;
      }
    }
  }

  /**
   * The hosts (as source or target) whose first minute of traffic, in all of the origin's rows,
   * falls in the range: the newest first. One pass over the origin's rows before {@code to}: with
   * no index on source or target, checking each host of the range against the earlier rows (an
   * anti-join) made PostgreSQL loop over the history once per host, 20 s on 180,000 rows where this
   * takes under 1 s.
   */
  static List<NewHost> newHosts(Connection c, TrafficFilter filter, Range range, int limit)
      throws SQLException {
    String upTo =
        " FROM traffic_minutes WHERE origin = ? AND minute < ? AND (?::text IS NULL OR input = ?)";
    try (PreparedStatement s =
        c.prepareStatement(
            "WITH r AS (SELECT source AS host, minute"
                + upTo
                + " UNION ALL SELECT target, minute"
                + upTo
                + ") SELECT host, min(minute) AS first_minute FROM r GROUP BY host"
                + " HAVING min(minute) >= ? ORDER BY first_minute DESC, host LIMIT ?")) {
      int at = 1;
      for (int i = 0; i < 2; i++) {
        s.setString(at++, filter.origin());
        s.setObject(at++, utc(range.to()));
        s.setString(at++, filter.input());
        s.setString(at++, filter.input());
      }
      s.setObject(at++, utc(range.from()));
      s.setInt(at, limit);
      try (ResultSet rs = s.executeQuery()) {
        List<NewHost> rows = new ArrayList<>();
        while (rs.next()) {
          rows.add(new NewHost(rs.getString(1), iso(rs, 2)));
        }
        return rows;
      }
    }
  }

  /**
   * What the traffic of a range looks like, in a few numbers: rows, events, bytes and the newest
   * row's time change whenever the traffic query writes into it.
   */
  static List<Object> trafficFingerprint(Connection c, TrafficFilter filter, Range range)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT count(*), coalesce(sum(events), 0), coalesce(sum(bytes), 0), max(last_seen)"
                + " FROM ("
                + TRAFFIC
                + ") t")) {
      bindTraffic(s, 1, filter, range);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return List.of(rs.getLong(1), rs.getLong(2), rs.getLong(3), String.valueOf(iso(rs, 4)));
      }
    }
  }

  private static List<Incident> incidents(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      List<Incident> rows = new ArrayList<>();
      while (rs.next()) {
        String closedAt = iso(rs, 7);
        rows.add(
            new Incident(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                iso(rs, 5),
                iso(rs, 6),
                closedAt,
                closedAt == null,
                rs.getLong(8),
                rs.getLong(9),
                iso(rs, 10)));
      }
      return rows;
    }
  }

  private static List<Alert> alerts(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      List<Alert> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add(
            new Alert(
                rs.getLong(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getString(7),
                iso(rs, 8),
                iso(rs, 9),
                iso(rs, 10),
                rs.getLong(11),
                rs.getLong(12),
                rs.getString(13),
                rs.getObject(14, Integer.class),
                rs.getObject(15, Long.class),
                rs.getString(16),
                iso(rs, 17),
                iso(rs, 18),
                rs.getObject(19, Long.class)));
      }
      return rows;
    }
  }

  private static void bindRange(PreparedStatement s, int at, Range range) throws SQLException {
    s.setObject(at, utc(range.from()));
    s.setObject(at + 1, utc(range.to()));
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  private static String iso(ResultSet rs, int column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant().toString();
  }
}
