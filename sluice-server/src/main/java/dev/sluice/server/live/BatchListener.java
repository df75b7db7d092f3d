package dev.sluice.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.process.Schedulers;
import dev.sluice.server.Json;
import dev.sluice.server.Metrics;
import dev.sluice.server.PipelineStatuses;
import dev.sluice.server.PipelineStatuses.PipelineStatus;
import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the pipelines' {@code NOTIFY sluice_batches} into live updates. One dedicated connection
 * LISTENs; for each wake-up (however many batches it announces) each announced pipeline's {@link
 * LiveFeed} reads its changes once, and they are fanned out to that pipeline's streams through the
 * {@link LiveHub}, so the database load does not grow with the number of dashboards. Between
 * batches the pipeline status is re-read every {@link #STATUS_INTERVAL_MILLIS} ms, once for all
 * clients, and each feed that asks for it ({@link LiveFeed#pollInterval()}) is polled at its
 * interval, for results no NOTIFY announces. When the connection fails the listener tells the
 * clients, reconnects with back-off, and sends a fresh snapshot, since notifications sent meanwhile
 * are lost.
 */
public final class BatchListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BatchListener.class);
  static final long STATUS_INTERVAL_MILLIS = 2000;
  static final long STATUS_AFTER_BATCH_MILLIS = 500;
  static final long HEARTBEAT_SECONDS = 15;
  private static final int POLL_MILLIS = 250;
  private static final long MAX_BACKOFF_MILLIS = 5000;

  private final Database database;
  private final LiveHub hub;
  private final Metrics metrics;
  private final Map<String, LiveFeed> feeds;
  private List<PipelineStatus> pipelines = List.of();
  private final Thread thread;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean running = true;
  private volatile boolean up;

  /**
   * @param feeds the live feed of each pipeline that has one, by pipeline name
   */
  public BatchListener(
      Database database, LiveHub hub, Metrics metrics, Map<String, LiveFeed> feeds) {
    this.database = database;
    this.feeds = Map.copyOf(feeds);
    this.hub = hub;
    this.metrics = metrics;
    this.thread = new Thread(this::run, "batch-listener");
    this.thread.setDaemon(true);
    this.heartbeat = Schedulers.daemon("sse-heartbeat");
    metrics.listenerUp(() -> up ? 1 : 0);
  }

  public void start() {
    thread.start();
    heartbeat.scheduleAtFixedRate(
        hub::heartbeat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
  }

  private void run() {
    long backoff = 250;
    boolean wasDown = false;
    while (running) {
      try (Connection c = database.connect()) {
        c.setNetworkTimeout(Runnable::run, 15_000);
        try (Statement s = c.createStatement()) {
          s.execute("LISTEN " + Database.BATCHES_CHANNEL);
        }
        c.setAutoCommit(false);
        c.setReadOnly(true);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        up = true;
        if (wasDown) {
          LOG.info("live updates: reconnected to the database");
          hub.publishStatus(new LiveHub.Status("up", null));
        }
        wasDown = false;
        refreshAll(c);
        backoff = 250;
        listen(c);
      } catch (SQLException | RuntimeException e) {
        up = false;
        if (!running) {
          break;
        }
        String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (!wasDown) {
          LOG.warn("live updates: lost the database ({}); reconnecting", reason);
          hub.publishStatus(new LiveHub.Status("down", "the database is unreachable: " + reason));
        }
        wasDown = true;
        sleep(backoff);
        backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
      }
    }
    up = false;
  }

  private void listen(Connection c) throws SQLException {
    PGConnection pg = c.unwrap(PGConnection.class);
    long nextStatus = System.currentTimeMillis() + STATUS_INTERVAL_MILLIS;
    Map<String, Long> nextPolls = new LinkedHashMap<>();
    feeds.forEach(
        (pipeline, feed) ->
            feed.pollInterval()
                .ifPresent(
                    interval ->
                        nextPolls.put(pipeline, System.currentTimeMillis() + interval.toMillis())));
    while (running) {
      PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
      if (notifications != null && notifications.length > 0) {
        metrics.notified(notifications.length);
        onBatches(c, announced(notifications, feeds.keySet()));
        // A pipeline writes its status just after the commit: look again soon.
        nextStatus = System.currentTimeMillis() + STATUS_AFTER_BATCH_MILLIS;
      } else if (System.currentTimeMillis() >= nextStatus) {
        // Also the heartbeat of this connection: a dead one fails here.
        refreshStatus(c);
        nextStatus = System.currentTimeMillis() + STATUS_INTERVAL_MILLIS;
      }
      if (!nextPolls.isEmpty()) {
        pollDue(c, nextPolls);
      }
    }
  }

  /**
   * The batch ids the notifications announce, by pipeline. A notification that names no pipeline
   * (malformed, or from an older pipeline) stands for all of them, since something was committed
   * all the same.
   */
  static Map<String, List<Long>> announced(PGNotification[] notifications, Set<String> all) {
    Map<String, List<Long>> announced = new LinkedHashMap<>();
    boolean everyone = false;
    for (PGNotification n : notifications) {
      String pipeline = null;
      Long batchId = null;
      try {
        JsonNode payload = Json.MAPPER.readTree(n.getParameter());
        JsonNode name = payload.path("pipeline");
        JsonNode id = payload.path("batch_id");
        pipeline = name.isTextual() ? name.textValue() : null;
        batchId = id.canConvertToLong() ? id.longValue() : null;
      } catch (Exception e) {
        // handled below, like a payload without a pipeline
      }
      if (pipeline == null) {
        everyone = true;
        continue;
      }
      List<Long> ids = announced.computeIfAbsent(pipeline, p -> new ArrayList<>());
      if (batchId != null) {
        ids.add(batchId);
      }
    }
    if (everyone) {
      all.forEach(pipeline -> announced.putIfAbsent(pipeline, new ArrayList<>()));
    }
    return announced;
  }

  private void refreshAll(Connection c) throws SQLException {
    Map<String, Object> states = new LinkedHashMap<>();
    for (Map.Entry<String, LiveFeed> feed : feeds.entrySet()) {
      states.put(feed.getKey(), feed.getValue().load(c));
    }
    pipelines = PipelineStatuses.read(c);
    c.commit();
    String now = Instant.now().toString();
    hub.publishPipelines(new LiveHub.PipelinesUpdate(pipelines, now));
    states.forEach(
        (pipeline, state) ->
            hub.publishSnapshot(new LiveHub.PipelineEvent(pipeline, List.of(), now, state)));
  }

  /** What one feed read after a wake-up: a change, or its whole state when it had to reload. */
  private record Read(String pipeline, List<Long> batches, boolean whole, Object data) {}

  private void onBatches(Connection c, Map<String, List<Long>> announced) throws SQLException {
    List<Read> reads = new ArrayList<>(announced.size());
    for (Map.Entry<String, List<Long>> batches : announced.entrySet()) {
      String pipeline = batches.getKey();
      LiveFeed feed = feeds.get(pipeline);
      if (feed != null) {
        Optional<Object> change = feed.changes(c);
        reads.add(
            change.isPresent()
                ? new Read(pipeline, batches.getValue(), false, change.get())
                : new Read(pipeline, batches.getValue(), true, feed.load(c)));
      }
    }
    c.commit();
    String now = Instant.now().toString();
    for (Read read : reads) {
      String pipeline = read.pipeline();
      LiveHub.PipelineEvent event =
          new LiveHub.PipelineEvent(pipeline, read.batches(), now, read.data());
      if (read.whole()) {
        hub.publishSnapshot(event);
      } else {
        Object state = feeds.get(pipeline).snapshot();
        hub.publishChange(event, new LiveHub.PipelineEvent(pipeline, List.of(), now, state));
      }
    }
  }

  /**
   * Polls the feeds whose interval has passed, and sends what changed. The time each one is next
   * due moves on by its interval from now, so a slow poll never piles up.
   */
  private void pollDue(Connection c, Map<String, Long> nextPolls) throws SQLException {
    long now = System.currentTimeMillis();
    Map<String, Object> changes = new LinkedHashMap<>();
    boolean polled = false;
    for (Map.Entry<String, Long> due : nextPolls.entrySet()) {
      if (now < due.getValue()) {
        continue;
      }
      polled = true;
      LiveFeed feed = feeds.get(due.getKey());
      feed.poll(c).ifPresent(change -> changes.put(due.getKey(), change));
      due.setValue(now + feed.pollInterval().orElseThrow().toMillis());
    }
    if (!polled) {
      return;
    }
    c.commit(); // also ends the repeatable-read snapshot, so the next poll sees newer rows
    if (changes.isEmpty()) {
      return;
    }
    String at = Instant.now().toString();
    changes.forEach(
        (pipeline, change) ->
            hub.publishChange(
                new LiveHub.PipelineEvent(pipeline, List.of(), at, change),
                new LiveHub.PipelineEvent(
                    pipeline, List.of(), at, feeds.get(pipeline).snapshot())));
  }

  private void refreshStatus(Connection c) throws SQLException {
    List<PipelineStatus> current = PipelineStatuses.read(c);
    c.commit();
    if (!Objects.equals(current, pipelines)) {
      pipelines = current;
      hub.publishPipelines(new LiveHub.PipelinesUpdate(current, Instant.now().toString()));
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    running = false;
    heartbeat.shutdownNow();
    thread.interrupt();
    try {
      thread.join(2000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
