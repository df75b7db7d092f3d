package dev.sluice.server.revenue;

import dev.sluice.store.redis.RedisPool;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPubSub;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Collects the ids the revenue pipeline announces on its changes channel, for the live feed to read
 * once per poll however many records changed. One thread holds the subscription and subscribes
 * again when the connection drops. Pub/sub delivers only to those listening at the moment: after a
 * gap (the start, a lost connection) {@link #drain()} says so, and the feed reads everything again.
 */
final class RevenueChanges implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RevenueChanges.class);

  /** Ids kept between two drains; beyond this only "many changed" is kept. */
  static final int MAX_IDS = 1_000;

  private static final long FIRST_PAUSE_MILLIS = 250;
  private static final long LONGEST_PAUSE_MILLIS = 5_000;

  /**
   * What changed since the last drain.
   *
   * @param ids the ids announced, in order, at most {@link #MAX_IDS}
   * @param missed whether announcements may have been lost (not subscribed for a while, or more
   *     than {@link #MAX_IDS}): the whole state is to be read again
   */
  record Drained(List<String> ids, boolean missed) {}

  private final RedisPool pool;
  private final String channel;
  private final Thread thread;
  private final Set<String> ids = new LinkedHashSet<>();
  private boolean missed = true;
  private volatile boolean running = true;
  private volatile Subscription subscription;

  RevenueChanges(RedisPool pool, String channel) {
    this.pool = pool;
    this.channel = channel;
    this.thread = new Thread(this::run, "revenue-changes");
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  synchronized Drained drain() {
    Drained drained = new Drained(new ArrayList<>(ids), missed);
    ids.clear();
    missed = subscription == null;
    return drained;
  }

  /**
   * Keeps the subscribed connection busy: with no announcement for longer than the client's reply
   * timeout, its read would time out and drop the subscription.
   */
  void keepAlive() {
    Subscription current = subscription;
    if (current != null) {
      try {
        current.ping();
      } catch (JedisException | IllegalStateException e) {
        // The subscribing thread sees the broken connection and subscribes again.
      }
    }
  }

  private synchronized void announced(String id) {
    if (ids.size() < MAX_IDS) {
      ids.add(id);
    } else {
      missed = true;
    }
  }

  private synchronized void subscribed(Subscription current) {
    subscription = current;
    missed = true; // what was announced before this moment is lost
  }

  private synchronized void unsubscribed() {
    subscription = null;
    missed = true;
  }

  private void run() {
    long pause = FIRST_PAUSE_MILLIS;
    boolean warned = false;
    while (running) {
      Subscription current = new Subscription();
      try (Jedis jedis = pool.borrow()) {
        jedis.subscribe(current, channel); // returns when unsubscribed
        pause = FIRST_PAUSE_MILLIS;
      } catch (JedisException e) {
        if (running && !warned) {
          LOG.warn("revenue live updates: lost the subscription to {}: {}", channel, e.toString());
          warned = true;
        }
      } finally {
        unsubscribed();
      }
      if (!running) {
        break;
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        break;
      }
      pause = Math.min(LONGEST_PAUSE_MILLIS, pause * 2);
    }
  }

  @Override
  public void close() {
    running = false;
    Subscription current = subscription;
    if (current != null) {
      try {
        current.unsubscribe();
      } catch (JedisException | IllegalStateException e) {
        // already gone
      }
    }
    thread.interrupt();
    try {
      thread.join(2_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private final class Subscription extends JedisPubSub {
    @Override
    public void onSubscribe(String subscribedChannel, int count) {
      subscribed(this);
      LOG.info("revenue live updates: subscribed to {}", subscribedChannel);
    }

    @Override
    public void onMessage(String fromChannel, String id) {
      announced(id);
    }
  }
}
