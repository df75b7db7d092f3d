package dev.sluice.server.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * Writes the security pipeline's rows as its queries do: alerts through the same upsert keys (the
 * store's trigger files them into incidents), traffic per minute. Tests use it to give the server
 * known rows in the real schema.
 */
public final class SecurityRows {
  private final Connection connection;

  public SecurityRows(Connection connection) {
    this.connection = connection;
  }

  /** An injection found in one field of one event; returns the alert's id. */
  public long injection(
      int partition,
      long offset,
      String className,
      String rule,
      String field,
      String excerpt,
      String source,
      String target,
      Instant eventTime)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO alerts (pipeline, topic, kafka_partition, kafka_offset, event_id, class,"
                + " rule, field, excerpt, source, target, event_time, events, appended_at)"
                + " VALUES ('security', 'sensor-events', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)"
                + " ON CONFLICT (topic, kafka_partition, kafka_offset, class, rule, field)"
                + " WHERE kafka_offset IS NOT NULL DO NOTHING RETURNING id")) {
      s.setInt(1, partition);
      s.setLong(2, offset);
      s.setString(3, "event-" + partition + "-" + offset);
      s.setString(4, className);
      s.setString(5, rule);
      s.setString(6, field);
      s.setString(7, excerpt);
      s.setString(8, source);
      s.setString(9, target);
      s.setObject(10, utc(eventTime));
      s.setObject(11, utc(eventTime.plusMillis(5)));
      return id(s);
    }
  }

  /** A flood seen in one event-time window; returns the alert's id. */
  public long flood(
      String className,
      String source,
      String target,
      Instant windowStart,
      Instant windowEnd,
      long events,
      long sources)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO alerts (pipeline, topic, class, rule, field, excerpt, source, target,"
                + " event_time, window_start, window_end, events, sources)"
                + " VALUES ('security', 'packets', ?, 'threshold', 'window', ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (class, topic, source, target, window_start)"
                + " WHERE window_start IS NOT NULL DO UPDATE SET events = EXCLUDED.events"
                + " RETURNING id")) {
      s.setString(1, className);
      s.setString(2, events + " events from " + sources + " sources");
      s.setString(3, source);
      s.setString(4, target);
      s.setObject(5, utc(windowStart));
      s.setObject(6, utc(windowStart));
      s.setObject(7, utc(windowEnd));
      s.setLong(8, events);
      s.setLong(9, sources);
      return id(s);
    }
  }

  /** Closes the incidents quiet since before {@code seen}, as the pipeline does; how many. */
  public long closeQuiet(Instant seen) throws SQLException {
    try (PreparedStatement s = connection.prepareStatement("SELECT close_quiet_incidents(?)")) {
      s.setObject(1, utc(seen));
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** One row of traffic per minute, upserted on its key as the traffic query does. */
  public void traffic(
      String origin,
      Instant minute,
      String input,
      String source,
      String target,
      int dstPort,
      String proto,
      long events,
      long bytes)
      throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement(
            "INSERT INTO traffic_minutes (origin, minute, input, source, target, dst_port, proto,"
                + " events, bytes, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (origin, minute, input, source, target, dst_port, proto)"
                + " DO UPDATE SET events = EXCLUDED.events, bytes = EXCLUDED.bytes,"
                + " last_seen = EXCLUDED.last_seen")) {
      s.setString(1, origin);
      s.setObject(2, utc(minute));
      s.setString(3, input);
      s.setString(4, source);
      s.setString(5, target);
      s.setInt(6, dstPort);
      s.setString(7, proto);
      s.setLong(8, events);
      s.setLong(9, bytes);
      s.setObject(10, utc(minute.plusSeconds(59)));
      s.executeUpdate();
    }
  }

  /** The incident an alert was filed into. */
  public long incidentOf(long alertId) throws SQLException {
    try (PreparedStatement s =
        connection.prepareStatement("SELECT incident_id FROM alerts WHERE id = ?")) {
      s.setLong(1, alertId);
      try (ResultSet rs = s.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static long id(PreparedStatement s) throws SQLException {
    try (ResultSet rs = s.executeQuery()) {
      if (!rs.next()) {
        throw new IllegalStateException("the alert was there already");
      }
      return rs.getLong(1);
    }
  }

  private static OffsetDateTime utc(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }
}
