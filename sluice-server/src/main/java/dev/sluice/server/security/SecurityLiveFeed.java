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
 * them: the feed polls every {@link #POLL_INTERVAL} with two cheap reads (the newest alert id, and
 * a fingerprint of the open incidents), and then reads the incidents and the new alerts, all on
 * indexes, only when they moved. The flood and traffic queries commit through the ledger, whose
 * NOTIFY wakes the feed at once. What scans the window costs more, so it is read at a bounded rate
 * whatever the rate of alerts: the alert aggregates at most every {@link #AGGREGATES_INTERVAL} once
 * alerts moved, traffic at most every {@link #TRAFFIC_INTERVAL} once its rows changed, new hosts (a
 * scan of the traffic history) at most every {@link #NEW_HOSTS_INTERVAL}.
 */
final class SecurityLiveFeed implements LiveFeed {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);
  static final Duration AGGREGATES_INTERVAL = Duration.ofSeconds(5);
  static final Duration TRAFFIC_INTERVAL = Duration.ofSeconds(10);
  static final Duration NEW_HOSTS_INTERVAL = Duration.ofSeconds(60);
  static final Duration WINDOW = Duration.ofHours(1);
  static final int OPEN_INCIDENTS = 100;
  static final int RECENT_INCIDENTS = 20;
  static final int ALERTS = 50;
  static final int TOP = 10;
  static final int SERIES = 8;
  static final int NEW_HOSTS = 20;
  static final int PROTOCOLS = 20;

  static final TrafficFilter STREAM = new TrafficFilter("stream", null);

  /** Alerts per class and minute, and the top sources and targets, over the window. */
  record Aggregates(
      List<ClassMinute> perMinute, List<Ranked> topSources, List<Ranked> topTargets) {}

  /** The traffic of the window; {@code newHosts} null in a change that did not read them again. */
  record Traffic(
      List<Series> hosts,
      List<Series> ports,
      List<Talker> talkers,
      List<Protocol> protocols,
      List<NewHost> newHosts) {}

  /**
   * The whole state ({@code whole}: in a {@code snapshot}, or a {@code batch} after the tables were
   * emptied), or what changed. In a change {@code alerts} holds only the alerts the client has not
   * had, newest first; {@code perMinute}, {@code topSources} and {@code topTargets} (together), and
   * {@code traffic} are null when they were not read again: the client keeps what it has. The
   * incidents are always whole.
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
          true,
          null,
          null,
          0,
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          List.of(),
          new Traffic(List.of(), List.of(), List.of(), List.of(), List.of()));
  private long lastAlertId = -1;
  private List<Object> incidentsFingerprint = List.of();
  private List<Object> trafficFingerprint = List.of();
  private boolean aggregatesStale;
  private Instant aggregatesReadAt = Instant.MIN;
  private Instant trafficReadAt = Instant.MIN;
  private Instant newHostsReadAt = Instant.MIN;
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
    Aggregates aggregates = readAggregates(c, window);
    Traffic traffic = readTraffic(c, window, true);
    view =
        incidents(
            c, true, window, SecurityQueries.latestAlerts(c, null, ALERTS), aggregates, traffic);
    return view;
  }

  /** After a ledgered query's commit: a flood alert or traffic may have been written. */
  @Override
  public Optional<Object> changes(Connection c) throws SQLException {
    if (SecurityQueries.lastAlertId(c) < lastAlertId) {
      return Optional.empty(); // the tables were emptied: start over
    }
    aggregatesStale = true;
    return Optional.of(change(c, window()));
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
            || !SecurityQueries.openIncidentsFingerprint(c).equals(incidentsFingerprint);
    aggregatesStale |= moved || !window.to().equals(windowEnd); // a new minute: the window slides
    boolean due =
        aggregatesStale && due(aggregatesReadAt, AGGREGATES_INTERVAL)
            || due(trafficReadAt, TRAFFIC_INTERVAL);
    return moved || due ? Optional.ofNullable(change(c, window, moved)) : Optional.empty();
  }

  @Override
  public View snapshot() {
    return view;
  }

  private View change(Connection c, Range window) throws SQLException {
    return change(c, window, true);
  }

  /**
   * Reads what is due and keeps the new state; the change, or null when nothing read differs and
   * {@code send} is false.
   */
  private View change(Connection c, Range window, boolean send) throws SQLException {
    Aggregates aggregates =
        aggregatesStale && due(aggregatesReadAt, AGGREGATES_INTERVAL)
            ? readAggregates(c, window)
            : null;
    Traffic traffic = due(trafficReadAt, TRAFFIC_INTERVAL) ? readTraffic(c, window, false) : null;
    if (!send && aggregates == null && traffic == null) {
      return null;
    }
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
    View change = incidents(c, false, window, fresh, aggregates, traffic);
    Traffic kept = view.traffic();
    if (traffic != null) {
      kept =
          new Traffic(
              traffic.hosts(),
              traffic.ports(),
              traffic.talkers(),
              traffic.protocols(),
              traffic.newHosts() == null ? kept.newHosts() : traffic.newHosts());
    }
    view =
        new View(
            true,
            change.from(),
            change.to(),
            change.openCount(),
            change.open(),
            change.recent(),
            newest,
            aggregates == null ? view.perMinute() : aggregates.perMinute(),
            aggregates == null ? view.topSources() : aggregates.topSources(),
            aggregates == null ? view.topTargets() : aggregates.topTargets(),
            kept);
    return change;
  }

  /** A view of the incidents and the given alerts, with what else was read (or nulls). */
  private View incidents(
      Connection c,
      boolean whole,
      Range window,
      List<Alert> alerts,
      Aggregates aggregates,
      Traffic traffic)
      throws SQLException {
    return new View(
        whole,
        window.from().toString(),
        window.to().toString(),
        SecurityQueries.openIncidentCount(c, null),
        SecurityQueries.openIncidents(c, null, OPEN_INCIDENTS),
        SecurityQueries.incidentHistory(c, null, RECENT_INCIDENTS, 0),
        alerts,
        aggregates == null ? null : aggregates.perMinute(),
        aggregates == null ? null : aggregates.topSources(),
        aggregates == null ? null : aggregates.topTargets(),
        traffic);
  }

  private Aggregates readAggregates(Connection c, Range window) throws SQLException {
    aggregatesReadAt = clock.instant();
    aggregatesStale = false;
    windowEnd = window.to();
    return new Aggregates(
        SecurityQueries.alertsPerMinute(c, window, null),
        SecurityQueries.top(c, Side.SOURCE, AlertMeasure.ALERTS, window, null, TOP),
        SecurityQueries.top(c, Side.TARGET, AlertMeasure.ALERTS, window, null, TOP));
  }

  private boolean due(Instant lastRead, Duration interval) {
    return !clock.instant().isBefore(lastRead.plus(interval));
  }

  /**
   * The traffic of the window; unless {@code always}, null when its rows are the same as at the
   * last read, and without new hosts when they were read less than {@link #NEW_HOSTS_INTERVAL} ago.
   */
  private Traffic readTraffic(Connection c, Range window, boolean always) throws SQLException {
    trafficReadAt = clock.instant();
    List<Object> fingerprint = SecurityQueries.trafficFingerprint(c, STREAM, window);
    if (!always && fingerprint.equals(trafficFingerprint)) {
      return null;
    }
    trafficFingerprint = fingerprint;
    List<NewHost> newHosts = null;
    if (always || due(newHostsReadAt, NEW_HOSTS_INTERVAL)) {
      newHostsReadAt = clock.instant();
      newHosts = SecurityQueries.newHosts(c, STREAM, window, NEW_HOSTS);
    }
    return new Traffic(
        SecurityQueries.hostTraffic(c, STREAM, window, TrafficMeasure.BYTES, SERIES),
        SecurityQueries.portTraffic(c, STREAM, window, TrafficMeasure.BYTES, SERIES),
        SecurityQueries.topTalkers(c, STREAM, window, TrafficMeasure.BYTES, TOP),
        SecurityQueries.protocols(c, STREAM, window, PROTOCOLS),
        newHosts);
  }

  /** The last hour of event time, up to the end of the current minute. */
  private Range window() {
    Instant to = clock.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(1));
    return new Range(to.minus(WINDOW), to);
  }
}
