package dev.sluice.server;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The server's Prometheus metrics, exposed at {@code /metrics} in the text exposition format
 * (version 0.0.4). Hand-written rather than a library: a few counters and histograms on {@link
 * LongAdder}s, cheap enough for tens of thousands of requests per second.
 */
public final class Metrics {
  public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
  static final String STREAM_ROUTE = "/api/stream";

  /** Bucket upper bounds in seconds, from half a millisecond to ten seconds. */
  static final double[] LATENCY_BUCKETS = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
  };

  private record RequestKey(String method, String route, int status) {}

  private record RouteKey(String method, String route) {}

  private final Map<RequestKey, LongAdder> requests = new ConcurrentHashMap<>();
  private final Map<RouteKey, Histogram> requestDurations = new ConcurrentHashMap<>();
  private final Histogram produceDuration = new Histogram(LATENCY_BUCKETS);

  private record RejectionKey(String pipeline, String reason) {}

  private final Map<RejectionKey, LongAdder> rejected = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> accepted = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> produceFailures = new ConcurrentHashMap<>();
  private final LongAdder batchNotifications = new LongAdder();
  private final LongAdder liveEvents = new LongAdder();
  private final LongAdder sseDropped = new LongAdder();
  private volatile LongSupplier sseClients = () -> 0;
  private volatile LongSupplier listenerUp = () -> 0;

  /**
   * A request finished: counted by method, route template and status; timed by method and route.
   */
  public void request(String method, String route, int status, long nanos) {
    requests
        .computeIfAbsent(new RequestKey(method, route, status), k -> new LongAdder())
        .increment();
    if (route.equals(STREAM_ROUTE)) {
      return; // a stream lasts as long as the dashboard is open: not a latency
    }
    requestDurations
        .computeIfAbsent(new RouteKey(method, route), k -> new Histogram(LATENCY_BUCKETS))
        .observe(nanos);
  }

  /** Kafka acknowledged a record posted for {@code pipeline} after {@code nanos}. */
  public void produced(String pipeline, long nanos) {
    accepted.computeIfAbsent(pipeline, k -> new LongAdder()).increment();
    produceDuration.observe(nanos);
  }

  public void produceFailed(String pipeline) {
    produceFailures.computeIfAbsent(pipeline, k -> new LongAdder()).increment();
  }

  /**
   * A record posted for {@code pipeline} was refused; {@code reason} is one of a few fixed words,
   * never user input.
   */
  public void rejected(String pipeline, String reason) {
    rejected.computeIfAbsent(new RejectionKey(pipeline, reason), k -> new LongAdder()).increment();
  }

  public void notified(int notifications) {
    batchNotifications.add(notifications);
  }

  public void liveEventSent() {
    liveEvents.increment();
  }

  public void sseClientDropped() {
    sseDropped.increment();
  }

  public void sseClients(LongSupplier clients) {
    this.sseClients = clients;
  }

  public void listenerUp(LongSupplier up) {
    this.listenerUp = up;
  }

  /** The text exposition of every metric. */
  public String scrape() {
    StringBuilder out = new StringBuilder(4096);
    header(
        out,
        "sluice_http_requests_total",
        "counter",
        "HTTP requests answered, by method, route and status.");
    new TreeMap<>(
            Map.copyOf(requests).entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e ->
                            e.getKey().route()
                                + ' '
                                + e.getKey().method()
                                + ' '
                                + e.getKey().status(),
                        e -> e)))
        .values()
        .forEach(
            e ->
                sample(
                    out,
                    "sluice_http_requests_total",
                    labels(
                        "method",
                        e.getKey().method(),
                        "route",
                        e.getKey().route(),
                        "status",
                        Integer.toString(e.getKey().status())),
                    e.getValue().sum()));

    header(
        out,
        "sluice_http_request_duration_seconds",
        "histogram",
        "Time to answer an HTTP request, by method and route.");
    new TreeMap<>(
            Map.copyOf(requestDurations).entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e -> e.getKey().route() + ' ' + e.getKey().method(), e -> e)))
        .values()
        .forEach(
            e ->
                e.getValue()
                    .writeTo(
                        out,
                        "sluice_http_request_duration_seconds",
                        labels("method", e.getKey().method(), "route", e.getKey().route())));

    header(
        out,
        "sluice_kafka_produce_duration_seconds",
        "histogram",
        "Time from sending a posted record to Kafka until the broker acknowledged it.");
    produceDuration.writeTo(out, "sluice_kafka_produce_duration_seconds", "");
    header(
        out,
        "sluice_kafka_produce_failures_total",
        "counter",
        "Posted records Kafka did not acknowledge in time (answered 503), by pipeline.");
    byPipeline(out, "sluice_kafka_produce_failures_total", produceFailures);
    header(
        out,
        "sluice_records_accepted_total",
        "counter",
        "Posted records acknowledged by Kafka and answered 202, by pipeline.");
    byPipeline(out, "sluice_records_accepted_total", accepted);
    header(
        out,
        "sluice_records_rejected_total",
        "counter",
        "Posted records refused before reaching Kafka, by pipeline and reason.");
    new TreeMap<String, Map.Entry<RejectionKey, LongAdder>>(
            Map.copyOf(rejected).entrySet().stream()
                .collect(
                    java.util.stream.Collectors.toMap(
                        e -> e.getKey().pipeline() + ' ' + e.getKey().reason(), e -> e)))
        .values()
        .forEach(
            e ->
                sample(
                    out,
                    "sluice_records_rejected_total",
                    labels("pipeline", e.getKey().pipeline(), "reason", e.getKey().reason()),
                    e.getValue().sum()));

    header(
        out, "sluice_sse_clients", "gauge", "Dashboard streams (GET /api/stream) connected now.");
    sample(out, "sluice_sse_clients", "", sseClients.getAsLong());
    header(
        out,
        "sluice_sse_clients_dropped_total",
        "counter",
        "Streams closed because the client did not keep up.");
    sample(out, "sluice_sse_clients_dropped_total", "", sseDropped.sum());
    header(out, "sluice_live_events_total", "counter", "Live updates fanned out to the streams.");
    sample(out, "sluice_live_events_total", "", liveEvents.sum());
    header(
        out,
        "sluice_batch_notifications_total",
        "counter",
        "Committed micro-batches announced by the pipelines (NOTIFY).");
    sample(out, "sluice_batch_notifications_total", "", batchNotifications.sum());
    header(
        out,
        "sluice_batch_listener_up",
        "gauge",
        "1 while the LISTEN connection to PostgreSQL is open.");
    sample(out, "sluice_batch_listener_up", "", listenerUp.getAsLong());

    Runtime runtime = Runtime.getRuntime();
    header(out, "sluice_jvm_heap_used_bytes", "gauge", "Java heap in use.");
    sample(out, "sluice_jvm_heap_used_bytes", "", runtime.totalMemory() - runtime.freeMemory());
    return out.toString();
  }

  private static void byPipeline(StringBuilder out, String name, Map<String, LongAdder> counts) {
    new TreeMap<>(counts)
        .forEach((pipeline, count) -> sample(out, name, labels("pipeline", pipeline), count.sum()));
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
  }

  static void sample(StringBuilder out, String name, String labels, long value) {
    out.append(name);
    if (!labels.isEmpty()) {
      out.append('{').append(labels).append('}');
    }
    out.append(' ').append(value).append('\n');
  }

  static String labels(String... namesAndValues) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (i > 0) {
        out.append(',');
      }
      out.append(namesAndValues[i]).append("=\"").append(escape(namesAndValues[i + 1])).append('"');
    }
    return out.toString();
  }

  static String escape(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }

  /** A Prometheus histogram over fixed bucket bounds, in seconds. */
  static final class Histogram {
    private final double[] bounds;
    private final long[] boundNanos;
    private final LongAdder[] counts;
    private final LongAdder sumNanos = new LongAdder();

    Histogram(double[] bounds) {
      this.bounds = bounds.clone();
      this.boundNanos = new long[bounds.length];
      this.counts = new LongAdder[bounds.length + 1];
      for (int i = 0; i < bounds.length; i++) {
        boundNanos[i] = Math.round(bounds[i] * 1e9);
      }
      for (int i = 0; i < counts.length; i++) {
        counts[i] = new LongAdder();
      }
    }

    void observe(long nanos) {
      int i = 0;
      while (i < boundNanos.length && nanos > boundNanos[i]) {
        i++;
      }
      counts[i].increment();
      sumNanos.add(nanos);
    }

    void writeTo(StringBuilder out, String name, String labels) {
      String prefix = labels.isEmpty() ? "" : labels + ",";
      long cumulative = 0;
      for (int i = 0; i < bounds.length; i++) {
        cumulative += counts[i].sum();
        sample(out, name + "_bucket", prefix + "le=\"" + format(bounds[i]) + "\"", cumulative);
      }
      cumulative += counts[bounds.length].sum();
      sample(out, name + "_bucket", prefix + "le=\"+Inf\"", cumulative);
      out.append(name).append("_sum");
      if (!labels.isEmpty()) {
        out.append('{').append(labels).append('}');
      }
      out.append(' ').append(String.format(Locale.ROOT, "%.9f", sumNanos.sum() / 1e9)).append('\n');
      sample(out, name + "_count", labels, cumulative);
    }

    private static String format(double bound) {
      return java.math.BigDecimal.valueOf(bound).stripTrailingZeros().toPlainString();
    }
  }
}
