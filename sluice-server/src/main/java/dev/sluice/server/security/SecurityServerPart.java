package dev.sluice.server.security;

import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.pipeline.Reads;
import dev.sluice.server.pipeline.ServerContext;
import dev.sluice.server.pipeline.ServerPart;
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
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The security pipeline's read endpoints under {@code /api/security/} (incidents, alerts, traffic;
 * see {@code sluice-server/README.md}), its live updates and its page under {@code /security/}.
 * Everything here reads; the pipeline's inputs come from sensors and captures, not from the API.
 */
public final class SecurityServerPart implements ServerPart {
  static final int INCIDENTS_DEFAULT = 50;
  static final int INCIDENTS_MAX = 1000;
  static final int INCIDENT_ALERTS_DEFAULT = 100;
  static final int INCIDENT_ALERTS_MAX = 1000;
  static final int ALERTS_DEFAULT = 100;
  static final int ALERTS_MAX = 1000;
  static final int TOP_DEFAULT = 10;
  static final int TOP_MAX = 100;
  static final int SERIES_DEFAULT = 10;
  static final int SERIES_MAX = 50;
  static final int NEW_HOSTS_DEFAULT = 100;
  static final int NEW_HOSTS_MAX = 1000;
  static final int PROTOCOLS_MAX = 100;

  record OpenIncidents(long open, List<Incident> incidents) {}

  record IncidentPage(List<Incident> incidents, int offset, Integer nextOffset) {}

  record IncidentWithAlerts(Incident incident, List<Alert> alerts) {}

  record Alerts(List<Alert> alerts) {}

  record PerMinute(String from, String to, List<ClassMinute> minutes) {}

  record Top(String from, String to, String by, List<Ranked> top) {}

  record SeriesAnswer(String from, String to, String by, List<Series> series) {}

  record Talkers(String from, String to, String by, List<Talker> talkers) {}

  record Protocols(String from, String to, List<Protocol> protocols) {}

  record NewHosts(String from, String to, List<NewHost> hosts) {}

  private final Clock clock = Clock.systemUTC();
  private final SecurityLiveFeed feed = new SecurityLiveFeed(clock);
  private Reads reads;

  @Override
  public void start(ServerContext context) {
    reads = context.reads();
    context
        .routes()
        .get("/api/security/incidents", this::incidentHistory)
        .get("/api/security/incidents/open", this::openIncidents)
        .get("/api/security/incidents/{id}", this::incident)
        .get("/api/security/alerts", this::latestAlerts)
        .get("/api/security/alerts/per-minute", this::alertsPerMinute)
        .get("/api/security/top/sources", ctx -> top(ctx, Side.SOURCE))
        .get("/api/security/top/targets", ctx -> top(ctx, Side.TARGET))
        .get("/api/security/traffic/hosts", ctx -> series(ctx, true))
        .get("/api/security/traffic/ports", ctx -> series(ctx, false))
        .get("/api/security/traffic/talkers", this::talkers)
        .get("/api/security/traffic/protocols", this::protocols)
        .get("/api/security/traffic/new-hosts", this::newHosts);
  }

  @Override
  public Optional<LiveFeed> liveFeed() {
    return Optional.of(feed);
  }

  @Override
  public Map<String, Object> info() {
    return Map.of(
        "excerpt_chars",
        SecurityQueries.EXCERPT_CHARS,
        "live_window_minutes",
        SecurityLiveFeed.WINDOW.toMinutes());
  }

  private void openIncidents(Context ctx) {
    String className = SecurityParams.className(ctx.queryParam("class"));
    int limit = SecurityParams.limit(ctx.queryParam("limit"), INCIDENTS_DEFAULT, INCIDENTS_MAX);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new OpenIncidents(
                    SecurityQueries.openIncidentCount(c, className),
                    SecurityQueries.openIncidents(c, className, limit))));
  }

  private void incidentHistory(Context ctx) {
    String className = SecurityParams.className(ctx.queryParam("class"));
    int limit = SecurityParams.limit(ctx.queryParam("limit"), INCIDENTS_DEFAULT, INCIDENTS_MAX);
    int offset = SecurityParams.offset(ctx.queryParam("offset"));
    // One more than asked says whether there is a next page.
    List<Incident> rows =
        reads.query(c -> SecurityQueries.incidentHistory(c, className, limit + 1, offset));
    boolean more = rows.size() > limit;
    Reads.json(
        ctx,
        new IncidentPage(
            more ? rows.subList(0, limit) : rows, offset, more ? offset + limit : null));
  }

  private void incident(Context ctx) {
    long id = SecurityParams.id(ctx.pathParam("id"));
    int limit =
        SecurityParams.limit(ctx.queryParam("limit"), INCIDENT_ALERTS_DEFAULT, INCIDENT_ALERTS_MAX);
    IncidentWithAlerts found =
        reads.query(
            c -> {
              Optional<Incident> incident = SecurityQueries.incident(c, id);
              return incident.isEmpty()
                  ? null
                  : new IncidentWithAlerts(
                      incident.get(), SecurityQueries.incidentAlerts(c, id, limit));
            });
    if (found == null) {
      throw new Problem(
          404,
          "no incident "
              + id
              + ": it never existed, or it was folded into an earlier one when a late alert"
              + " joined them",
          Map.of("id", id));
    }
    Reads.json(ctx, found);
  }

  private void latestAlerts(Context ctx) {
    String className = SecurityParams.className(ctx.queryParam("class"));
    int limit = SecurityParams.limit(ctx.queryParam("limit"), ALERTS_DEFAULT, ALERTS_MAX);
    Reads.json(
        ctx, reads.query(c -> new Alerts(SecurityQueries.latestAlerts(c, className, limit))));
  }

  private void alertsPerMinute(Context ctx) {
    String className = SecurityParams.className(ctx.queryParam("class"));
    Range range = range(ctx, SecurityParams.MAX_SERIES_RANGE);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new PerMinute(
                    range.from().toString(),
                    range.to().toString(),
                    SecurityQueries.alertsPerMinute(c, range, className))));
  }

  private void top(Context ctx, Side side) {
    String className = SecurityParams.className(ctx.queryParam("class"));
    AlertMeasure by =
        SecurityParams.choice("by", ctx.queryParam("by"), AlertMeasure.class, AlertMeasure.ALERTS);
    int limit = SecurityParams.limit(ctx.queryParam("limit"), TOP_DEFAULT, TOP_MAX);
    Range range = range(ctx, SecurityParams.MAX_RANGE);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new Top(
                    range.from().toString(),
                    range.to().toString(),
                    by.column,
                    SecurityQueries.top(c, side, by, range, className, limit))));
  }

  private void series(Context ctx, boolean hosts) {
    TrafficFilter filter = trafficFilter(ctx);
    TrafficMeasure by = trafficMeasure(ctx);
    int limit = SecurityParams.limit(ctx.queryParam("limit"), SERIES_DEFAULT, SERIES_MAX);
    Range range = range(ctx, SecurityParams.MAX_SERIES_RANGE);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new SeriesAnswer(
                    range.from().toString(),
                    range.to().toString(),
                    by.column,
                    hosts
                        ? SecurityQueries.hostTraffic(c, filter, range, by, limit)
                        : SecurityQueries.portTraffic(c, filter, range, by, limit))));
  }

  private void talkers(Context ctx) {
    TrafficFilter filter = trafficFilter(ctx);
    TrafficMeasure by = trafficMeasure(ctx);
    int limit = SecurityParams.limit(ctx.queryParam("limit"), TOP_DEFAULT, TOP_MAX);
    Range range = range(ctx, SecurityParams.MAX_RANGE);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new Talkers(
                    range.from().toString(),
                    range.to().toString(),
                    by.column,
                    SecurityQueries.topTalkers(c, filter, range, by, limit))));
  }

  private void protocols(Context ctx) {
    TrafficFilter filter = trafficFilter(ctx);
    int limit = SecurityParams.limit(ctx.queryParam("limit"), PROTOCOLS_MAX, PROTOCOLS_MAX);
    Range range = range(ctx, SecurityParams.MAX_RANGE);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new Protocols(
                    range.from().toString(),
                    range.to().toString(),
                    SecurityQueries.protocols(c, filter, range, limit))));
  }

  private void newHosts(Context ctx) {
    TrafficFilter filter = trafficFilter(ctx);
    int limit = SecurityParams.limit(ctx.queryParam("limit"), NEW_HOSTS_DEFAULT, NEW_HOSTS_MAX);
    Range range = range(ctx, SecurityParams.MAX_RANGE);
    Reads.json(
        ctx,
        reads.query(
            c ->
                new NewHosts(
                    range.from().toString(),
                    range.to().toString(),
                    SecurityQueries.newHosts(c, filter, range, limit))));
  }

  private Range range(Context ctx, Duration max) {
    return SecurityParams.range(ctx.queryParam("from"), ctx.queryParam("to"), max, clock.instant());
  }

  private static TrafficFilter trafficFilter(Context ctx) {
    return new TrafficFilter(
        SecurityParams.origin(ctx.queryParam("origin")),
        SecurityParams.input(ctx.queryParam("input")));
  }

  private static TrafficMeasure trafficMeasure(Context ctx) {
    return SecurityParams.choice(
        "by", ctx.queryParam("by"), TrafficMeasure.class, TrafficMeasure.BYTES);
  }
}
