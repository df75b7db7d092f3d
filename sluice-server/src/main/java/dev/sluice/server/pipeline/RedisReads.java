package dev.sluice.server.pipeline;

import dev.sluice.server.Problem;
import dev.sluice.store.redis.RedisPool;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Read endpoints on Redis, the counterpart of {@link Reads}: run the reads on a pooled connection
 * and turn Redis trouble into the right problem, 503 while Redis cannot be reached (the pool
 * connects again by itself) or when the server has none, 500 for anything else, logged.
 */
public final class RedisReads {
  private static final Logger LOG = LoggerFactory.getLogger(RedisReads.class);

  /** Reads on one connection. */
  public interface Query<T> {
    T run(Jedis jedis);
  }

  private final Optional<RedisPool> pool;

  public RedisReads(Optional<RedisPool> pool) {
    this.pool = pool;
  }

  /** Whether the server was given a Redis at all. */
  public boolean configured() {
    return pool.isPresent();
  }

  /** The pool itself, for a part that holds a connection of its own: a subscription. */
  public Optional<RedisPool> pool() {
    return pool;
  }

  public <T> T query(Query<T> query) {
    if (pool.isEmpty()) {
      throw new Problem(
          503,
          "this server has no Redis: set SLUICE_REDIS, or start it with ./sluice demo or with"
              + " ./sluice infra running");
    }
    try (Jedis jedis = pool.get().borrow()) {
      return query.run(jedis);
    } catch (JedisException e) {
      throw redisProblem(e);
    }
  }

  /**
   * Like {@link Reads#databaseProblem}: the answers never quote the client's message, which names
   * hosts and ports; the log says what failed.
   */
  public static Problem redisProblem(JedisException e) {
    if (isUnavailable(e)) {
      return new Problem(503, "Redis is unavailable; retry shortly");
    }
    LOG.error("Redis read failed", e);
    return new Problem(500, "the Redis read failed; the server's log says why");
  }

  /** Down, restarting, or still loading its append-only file (it answers LOADING then). */
  static boolean isUnavailable(JedisException e) {
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      // A pool that cannot open a connection wraps the connection failure.
      if (t instanceof JedisConnectionException) {
        return true;
      }
    }
    String message = e.getMessage();
    return message != null && message.startsWith("LOADING");
  }
}
