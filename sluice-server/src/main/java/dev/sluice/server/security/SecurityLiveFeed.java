package dev.sluice.server.security;

import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.security.SecurityQueries.Alert;
import dev.sluice.server.security.SecurityQueries.AlertMeasure;
import dev.sluice.server.security.SecurityQueries.ClassMinute;
import dev.sluice.server.security.SecurityQueries.Incident;
import dev.sluice.server.security.SecurityQueries.NewHost;
import dev.sluice.server.security.SecurityQueries.Protocol;
import dev.sluice.server.security.SecurityQueries.Range;
import dev.sluice.server.security.SecurityQueries.Ranked;
import dev.sluice.server.security.SecurityQueries.Series;
import dev.sluice.server.security.SecurityQueries.Side;
import dev.sluice.server.security.SecurityQueries.Talker;
import dev.sluice.server.security.SecurityQueries.TrafficFilter;
import dev.sluice.server.security.SecurityQueries.TrafficMeasure;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The security dashboard's live state: open incidents, the newest incidents and alerts, alerts per
 * class and minute, top sources and targets, and traffic, over the last hour of event time.
 *
 * <p>Injection alerts are written in real time, without a batch ledger, so no NOTIFY announces
 * them: the feed polls every {@link #POLL_INTERVAL} with two index-only reads (the newest alert id,
 * and a fingerprint of the open incidents) and reads the rest only when they moved. The flood and
 * traffic queries commit through the ledger, whose NOTIFY wakes the feed at once. Traffic, the
 * costliest part to read, is read again at most every {@link #TRAFFIC_INTERVAL}, and sent only when
 * its rows in the window changed. A change carries only the new alerts; the rest is small and
 * bounded, and sent whole.
 */
final class SecurityLiveFeed implements LiveFeed {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  static final Duration TRAFFIC_INTERVAL = Duration.ofSeconds(10);
  static final Duration WINDOW = Duration.ofHours(1);
  static final int OPEN_INCIDENTS = 100;
  static final int RECENT_INCIDENTS = 20;
  static final int ALERTS = 50;
  static final int TOP = 10;
  static final int SERIES = 8;
  static final int NEW_HOSTS = 20;
  static final int PROTOCOLS = 20;

  static final TrafficFilter STREAM = new TrafficFilter("stream", null);

  /** The traffic part of the state; null in a change that did not read it again. */
  record Traffic(
      List<Series> hosts,
      List<Series> ports,
      List<Talker> talkers,
      List<Protocol> protocols,
      List<NewHost> newHosts) {}

  /**
   * The whole state ({@code whole}: in a {@code snapshot}, or a {@code batch} after the tables were
   * emptied), or what changed: then {@code alerts} holds only the alerts the client has not had,
   * newest first, and {@code traffic} is null when it was not read again. Everything else is whole.
   */
  record View(
      boolean whole,
      String from,
      String to,
      long openCount,
      List<Incident> open,
      List<Incident> recent,
      List<Alert> alerts,
      List<ClassMinute> perMinute,
      List<Ranked> topSources,
      List<Ranked> topTargets,
      Traffic traffic) {}

  private final Clock clock;
  private View view =
      new View(
          true, null, null, 0, List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
          null);
  private long lastAlertId = -1;
  private List<Object> incidentsFingerprint = List.of();
  private List<Object> trafficFingerprint = List.of();
  private Instant trafficReadAt = Instant.MIN;
  private Instant windowEnd = Instant.MIN;

  SecurityLiveFeed(Clock clock) {
    this.clock = clock;
  }

  @Override
  public Optional<Duration> pollInterval() {
    return Optional.of(POLL_INTERVAL);
  }

  @Override
  public View load(Connection c) throws SQLException {
    Range window = window();
    lastAlertId = SecurityQueries.lastAlertId(c);
    incidentsFingerprint = SecurityQueries.openIncidentsFingerprint(c);
    view =
        read(
            c,
            true,
            window,
            SecurityQueries.latestAlerts(c, null, ALERTS),
            readTraffic(c, window, true));
    return view;
  }

  @Override
  public Optional<Object> changes(Connection c) throws SQLException {
    if (SecurityQueries.lastAlertId(c) < lastAlertId) {
      return Optional.empty(); // the tables were emptied: start over
    }
    Range window = window();
    return Optional.of(change(c, window, trafficDue() ? readTraffic(c, window, false) : null));
  }

  @Override
  public Optional<Object> poll(Connection c) throws SQLException {
    long alertId = SecurityQueries.lastAlertId(c);
    if (alertId < lastAlertId) {
      return Optional.of(load(c)); // the tables were emptied: a whole view replaces the old
    }
    Range window = window();
    boolean moved =
        alertId != lastAlertId
            || !SecurityQueries.openIncidentsFingerprint(c).equals(incidentsFingerprint)
            || !window.to().equals(windowEnd); // a new minute: the window slides
    Traffic traffic = trafficDue() ? readTraffic(c, window, false) : null;
    return moved || traffic != null ? Optional.of(change(c, window, traffic)) : Optional.empty();
  }

  @Override
  public View snapshot() {
    return view;
  }

  /** Reads what changed, with the traffic read (or null), and keeps the new state. */
  private View change(Connection c, Range window, Traffic traffic) throws SQLException {
    lastAlertId = SecurityQueries.lastAlertId(c);
    incidentsFingerprint = SecurityQueries.openIncidentsFingerprint(c);
    List<Alert> newest = SecurityQueries.latestAlerts(c, null, ALERTS);
    Set<Long> known = new HashSet<>();
    view.alerts().forEach(a -> known.add(a.id()));
    List<Alert> fresh = new ArrayList<>();
    for (Alert alert : newest) {
      if (!known.contains(alert.id())) {
        fresh.add(alert);
      }
    }
    View change = read(c, false, window, fresh, traffic);
    view =
        new View(
            true,
            change.from(),
            change.to(),
            change.openCount(),
            change.open(),
            change.recent(),
            newest,
            change.perMinute(),
            change.topSources(),
            change.topTargets(),
            traffic == null ? view.traffic() : traffic);
    return change;
  }

  private View read(Connection c, boolean whole, Range window, List<Alert> alerts, Traffic traffic)
      throws SQLException {
    windowEnd = window.to();
    return new View(
        whole,
        window.from().toString(),
        window.to().toString(),
        SecurityQueries.openIncidentCount(c, null),
        SecurityQueries.openIncidents(c, null, OPEN_INCIDENTS),
        SecurityQueries.incidentHistory(c, null, RECENT_INCIDENTS, 0),
        alerts,
        SecurityQueries.alertsPerMinute(c, window, null),
        SecurityQueries.top(c, Side.SOURCE, AlertMeasure.ALERTS, window, null, TOP),
        SecurityQueries.top(c, Side.TARGET, AlertMeasure.ALERTS, window, null, TOP),
        traffic);
  }

  private boolean trafficDue() {
    return !clock.instant().isBefore(trafficReadAt.plus(TRAFFIC_INTERVAL));
  }

  /**
   * The traffic of the window; unless {@code always}, null when its rows are the same as at the
   * last read, and the clients keep what they have.
   */
  private Traffic readTraffic(Connection c, Range window, boolean always) throws SQLException {
    trafficReadAt = clock.instant();
    List<Object> fingerprint = SecurityQueries.trafficFingerprint(c, STREAM, window);
    if (!always && fingerprint.equals(trafficFingerprint)) {
      return null;
    }
    trafficFingerprint = fingerprint;
    return new Traffic(
        SecurityQueries.hostTraffic(c, STREAM, window, TrafficMeasure.BYTES, SERIES),
        SecurityQueries.portTraffic(c, STREAM, window, TrafficMeasure.BYTES, SERIES),
        SecurityQueries.topTalkers(c, STREAM, window, TrafficMeasure.BYTES, TOP),
        SecurityQueries.protocols(c, STREAM, window, PROTOCOLS),
        SecurityQueries.newHosts(c, STREAM, window, NEW_HOSTS));
  }

  /** The last hour of event time, up to the end of the current minute. */
  private Range window() {
    Instant to = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    return new Range(to.minus(WINDOW), to);
  }
}
