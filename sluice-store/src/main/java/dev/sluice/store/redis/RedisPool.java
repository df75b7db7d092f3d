package dev.sluice.store.redis;

import java.time.Duration;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisPool;
import redis.clients.jedis.JedisPoolConfig;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Pooled connections to one Redis. Borrow one with {@link #borrow()} in a try-with-resources block;
 * a connection that broke (Redis restarted) is discarded on close instead of returned, so the next
 * borrow connects afresh.
 */
public final class RedisPool implements AutoCloseable {
  /** Connections open at once; each Spark task or request thread holds one at a time. */
  static final int MAX_CONNECTIONS = 16;

  private static final Duration FIRST_PAUSE = Duration.ofMillis(50);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  private final Redis redis;
  private final JedisPool pool;

  RedisPool(Redis redis) {
    this.redis = redis;
    JedisPoolConfig config = new JedisPoolConfig();
    config.setMaxTotal(MAX_CONNECTIONS);
    config.setMaxIdle(MAX_CONNECTIONS);
    // A borrower waits this long for a free connection, then fails like a timeout would.
    config.setMaxWait(Redis.CONNECT_TIMEOUT);
    // No PING per borrow (it would double the round trips): a connection broken by a restart of
    // Redis fails its command, is discarded on close, and the caller's retry borrows a new one.
    config.setTestOnBorrow(false);
    this.pool = new JedisPool(config, redis.hostAndPort(), redis.clientConfig());
  }

  /** A connection from the pool; closing it returns it. Throws {@link JedisException}. */
  public Jedis borrow() {
    return pool.getResource();
  }

  /** Whether Redis answers PING now (not while it loads its data: it answers LOADING then). */
  public boolean ping() {
    try (Jedis jedis = borrow()) {
      return "PONG".equals(jedis.ping());
    } catch (JedisException e) {
      return false;
    }
  }

  /**
   * Waits until Redis answers PING, trying again with growing pauses (50 ms up to 1 s), at most
   * {@code timeout}; throws {@link IllegalStateException} with the last failure after that.
   */
  public void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration pause = FIRST_PAUSE;
    String lastFailure = "no answer";
    while (true) {
      try (Jedis jedis = borrow()) {
        String answer = jedis.ping();
        if ("PONG".equals(answer)) {
          return;
        }
        lastFailure = "PING answered " + answer;
      } catch (JedisException e) {
        lastFailure = e.getMessage();
      }
      if (System.nanoTime() + pause.toNanos() > deadline) {
        throw new IllegalStateException(
            "Redis at " + redis + " did not answer PING within " + timeout + ": " + lastFailure);
      }
      Thread.sleep(pause.toMillis());
      pause =
          pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
              ? LONGEST_PAUSE
              : pause.multipliedBy(2);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "RedisPool(" + redis + ")";
  }
}
