package dev.sluice.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.process.Schedulers;
import dev.sluice.server.Json;
import dev.sluice.server.Metrics;
import dev.sluice.server.ReadQueries;
import dev.sluice.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the pipelines' {@code NOTIFY sluice_batches} into live updates. One dedicated connection
 * LISTENs; for each wake-up (however many batches it announces) the changes are queried once and
 * fanned out to every stream through the {@link LiveHub}, so the database load does not grow with
 * the number of dashboards. Between batches the pipeline status is re-read every {@link
 * #STATUS_INTERVAL_MILLIS} ms, once for all clients. When the connection fails the listener tells
 * the clients, reconnects with back-off, and sends a fresh snapshot, since notifications sent
 * meanwhile are lost.
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
  private final LiveState state = new LiveState();
  private final Thread thread;
  private final ScheduledExecutorService heartbeat;
  private volatile boolean running = true;
  private volatile boolean up;

  public BatchListener(Database database, LiveHub hub, Metrics metrics) {
    this.database = database;
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

  /** Whether the LISTEN connection is open now. */
  public boolean isUp() {
    return up;
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
    while (running) {
      PGNotification[] notifications = pg.getNotifications(POLL_MILLIS);
      if (notifications != null && notifications.length > 0) {
        metrics.notified(notifications.length);
        onBatches(c, parse(notifications));
        // A pipeline writes its status just after the commit: look again soon.
        nextStatus = System.currentTimeMillis() + STATUS_AFTER_BATCH_MILLIS;
      } else if (System.currentTimeMillis() >= nextStatus) {
        // Also the heartbeat of this connection: a dead one fails here.
        refreshStatus(c);
        nextStatus = System.currentTimeMillis() + STATUS_INTERVAL_MILLIS;
      }
    }
  }

  static List<LiveState.BatchRef> parse(PGNotification[] notifications) {
    List<LiveState.BatchRef> batches = new ArrayList<>(notifications.length);
    for (PGNotification n : notifications) {
      try {
        JsonNode payload = Json.MAPPER.readTree(n.getParameter());
        JsonNode pipeline = payload.path("pipeline");
        JsonNode batchId = payload.path("batch_id");
        batches.add(
            new LiveState.BatchRef(
                pipeline.isTextual() ? pipeline.textValue() : null,
                batchId.canConvertToLong() ? batchId.longValue() : null));
      } catch (Exception e) {
        // A malformed payload still means something was committed: refresh all the same.
        batches.add(new LiveState.BatchRef(null, null));
      }
    }
    return batches;
  }

  private void refreshAll(Connection c) throws SQLException {
    long last = ReadQueries.lastCommittedBatch(c);
    state.reset(
        last,
        ReadQueries.topWords(c, LiveState.WORDS),
        ReadQueries.latestPredictions(c, -1, last, LiveState.PREDICTIONS),
        ReadQueries.accuracySince(c, -1, last, LiveState.ACCURACY_POINTS),
        ReadQueries.pipelines(c));
    c.commit();
    hub.publishSnapshot(state.snapshot(Instant.now().toString()));
  }

  private void onBatches(Connection c, List<LiveState.BatchRef> batches) throws SQLException {
    long last = ReadQueries.lastCommittedBatch(c);
    if (last < state.lastBatchId()) {
      c.commit();
      refreshAll(c); // the tables were reset: start over
      return;
    }
    LiveState.BatchUpdate update =
        new LiveState.BatchUpdate(
            batches,
            last,
            ReadQueries.topWords(c, LiveState.WORDS),
            ReadQueries.latestPredictions(c, state.lastBatchId(), last, LiveState.PREDICTIONS),
            ReadQueries.accuracySince(c, state.lastBatchId(), last, LiveState.ACCURACY_POINTS),
            ReadQueries.pipelines(c),
            Instant.now().toString());
    c.commit();
    state.apply(update);
    hub.publish("batch", update, state.snapshot(update.now()));
  }

  private void refreshStatus(Connection c) throws SQLException {
    List<ReadQueries.PipelineStatus> pipelines = ReadQueries.pipelines(c);
    c.commit();
    if (!Objects.equals(pipelines, state.pipelines())) {
      state.pipelines(pipelines);
      String now = Instant.now().toString();
      hub.publish("pipelines", new LiveState.PipelinesUpdate(pipelines, now), state.snapshot(now));
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
