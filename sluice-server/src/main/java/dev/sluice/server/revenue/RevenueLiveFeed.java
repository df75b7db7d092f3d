package dev.sluice.server.revenue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.server.Problem;
import dev.sluice.server.pipeline.LiveFeed;
import dev.sluice.server.pipeline.RedisReads;
import dev.sluice.server.revenue.RevenueReads.TopId;
import dev.sluice.server.revenue.RevenueReads.Totals;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The revenue page's live state: totals, the top ids and the newest minutes, read from Redis once
 * for all clients. The revenue pipeline's per-record query runs in real-time mode and keeps no
 * ledger, so no NOTIFY announces its writes; it publishes each changed id instead ({@link
 * RevenueChanges}). Each second the feed takes the ids announced since the last poll and, only if
 * there are any (or announcements may have been lost, or {@link #FULL_READ_INTERVAL} passed), reads
 * the state and sends it with the changed ids, so the page can refresh an id it shows. A thousand
 * changes a second cost one read a second, and a quiet pipeline none.
 *
 * <p>The listener hands it a database connection it does not use: everything here is in Redis.
 * Redis being down is part of the state ({@code redis}), never an exception, which the listener
 * would take for the database's failure.
 */
final class RevenueLiveFeed implements LiveFeed {
  static final Duration POLL_INTERVAL = Duration.ofSeconds(1);

  /** Reads the state at least this often, whatever was announced: a safety net, cheap. */
  static final Duration FULL_READ_INTERVAL = Duration.ofSeconds(10);

  static final int TOP = 10;
  static final int MINUTES = 60;

  /** Changed ids sent with one update; the page needs only to know whether its id is among them. */
  static final int CHANGED_SENT = 200;

  /**
   * What the page shows.
   *
   * @param redis {@code up}, or why Redis cannot be read (the figures are then the last ones read)
   * @param changed ids that changed since the previous update, at most {@value #CHANGED_SENT}
   * @param moreChanged whether more ids changed than {@code changed} lists
   */
  record View(
      Totals totals,
      List<TopId> top,
      List<ObjectNode> minutes,
      String redis,
      List<String> changed,
      boolean moreChanged) {
    View withChanges(List<String> ids, boolean more) {
      return new View(totals, top, minutes, redis, ids, more);
    }

    boolean sameFigures(View other) {
      return other != null
          && totals.equals(other.totals)
          && top.equals(other.top)
          && minutes.equals(other.minutes)
          && redis.equals(other.redis);
    }
  }

  private final RedisReads redis;
  private final RevenueReads reads;
  private final RevenueChanges changes;
  private View view = new View(new Totals(0, "0"), List.of(), List.of(), "up", List.of(), false);
  private long lastRead;

  /**
   * @param changes the announced ids, or null when the server has no Redis
   */
  RevenueLiveFeed(RedisReads redis, RevenueReads reads, RevenueChanges changes) {
    this.redis = redis;
    this.reads = reads;
    this.changes = changes;
  }

  @Override
  public Object load(Connection connection) {
    if (changes != null) {
      changes.drain();
    }
    view = read().withChanges(List.of(), false);
    return view;
  }

  /** Called after a NOTIFY of the pipeline's minutes query: its minutes changed. */
  @Override
  public Optional<Object> changes(Connection connection) {
    return Optional.of(update(true).orElse(view));
  }

  @Override
  public Object snapshot() {
    return view.withChanges(List.of(), false);
  }

  @Override
  public Optional<Duration> pollInterval() {
    return Optional.of(POLL_INTERVAL);
  }

  @Override
  public Optional<Object> poll(Connection connection) {
    return update(false).map(Object.class::cast);
  }

  private Optional<View> update(boolean force) {
    List<String> ids = List.of();
    boolean missed = false;
    if (changes != null) {
      changes.keepAlive();
      RevenueChanges.Drained drained = changes.drain();
      ids = drained.ids();
      missed = drained.missed();
    }
    boolean due = System.nanoTime() - lastRead >= FULL_READ_INTERVAL.toNanos();
    if (!force && ids.isEmpty() && !missed && !due && view.redis().equals("up")) {
      return Optional.empty();
    }
    View previous = view;
    View current = read();
    boolean more = missed || ids.size() > CHANGED_SENT;
    List<String> sent = ids.size() > CHANGED_SENT ? ids.subList(0, CHANGED_SENT) : ids;
    view = current.withChanges(sent, more);
    // After a gap with the same figures, nothing is sent: while Redis is down, that is every poll.
    if (!force && ids.isEmpty() && current.sameFigures(previous)) {
      return Optional.empty();
    }
    return Optional.of(view);
  }

  private View read() {
    lastRead = System.nanoTime();
    try {
      return redis.query(
          jedis ->
              new View(
                  reads.totals(jedis),
                  reads.top(jedis, TOP),
                  reads.minutes(jedis, MINUTES),
                  "up",
                  List.of(),
                  false));
    } catch (Problem p) {
      return new View(view.totals(), view.top(), view.minutes(), p.detail(), List.of(), false);
    }
  }

  @Override
  public String toString() {
    return "RevenueLiveFeed(" + Objects.toString(view.redis()) + ")";
  }
}
