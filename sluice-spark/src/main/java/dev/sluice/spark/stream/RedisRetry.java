package dev.sluice.spark.stream;

import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisConnectionException;
import redis.clients.jedis.exceptions.JedisDataException;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Rides out a short blip of Redis inside a task: a command that fails because Redis is away
 * (connection refused or broken, no answer within the timeouts, {@code LOADING} while it reads its
 * append-only file after a restart) is tried again on a fresh connection, with growing pauses, for
 * about {@value #BUDGET_SECONDS} seconds. A longer outage fails the task with {@link
 * RedisUnavailableException}, naming Redis and its address (never the password): the query fails,
 * and the launcher restarts it from its checkpoint with its backoff, as for a PostgreSQL outage.
 * Commands must be idempotent, since one that timed out may have run.
 */
public final class RedisRetry {
  private static final Logger log = LoggerFactory.getLogger(RedisRetry.class);

  static final int BUDGET_SECONDS = 5;
  private static final Duration BUDGET = Duration.ofSeconds(BUDGET_SECONDS);
  private static final Duration FIRST_PAUSE = Duration.ofMillis(100);
  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(1);

  private RedisRetry() {}

  /** Redis is away for longer than a task waits: the query fails and is restarted. */
  public static final class RedisUnavailableException extends IllegalStateException {
    RedisUnavailableException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Runs {@code command} on a connection of {@code redis}'s shared pool, retrying as above. */
  public static <T> T call(Redis redis, String what, Function<Jedis, T> command) {
    RedisPool pool = ExecutorRedis.pool(redis);
    long started = System.nanoTime();
    Duration pause = FIRST_PAUSE;
    int attempt = 0;
    while (true) {
      attempt++;
      try (Jedis jedis = pool.borrow()) {
        T result = command.apply(jedis);
        if (attempt > 1) {
          log.info("Redis at {} answered again: {} succeeded at attempt {}", redis, what, attempt);
        }
        return result;
      } catch (JedisException e) {
        if (!isOutage(e)) {
          throw e;
        }
        Duration spent = Duration.ofNanos(System.nanoTime() - started);
        if (spent.plus(pause).compareTo(BUDGET) > 0) {
          throw new RedisUnavailableException(
              String.format(
                  Locale.ROOT,
                  "Redis at %s unavailable: %s failed %d times over %.1f s: %s",
                  redis,
                  what,
                  attempt,
                  spent.toMillis() / 1000.0,
                  e.getMessage()),
              e);
        }
        if (attempt == 1) {
          log.warn(
              "Redis at {} unavailable ({}); retrying {} for up to {} s",
              redis,
              e.getMessage(),
              what,
              BUDGET_SECONDS);
        }
        sleep(pause);
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                ? LONGEST_PAUSE
                : pause.multipliedBy(2);
      }
    }
  }

  /** Whether the failure says Redis is away or not ready, rather than refusing the command. */
  static boolean isOutage(JedisException e) {
    if (e instanceof JedisConnectionException) {
      return true;
    }
    if (e instanceof JedisDataException && e.getMessage() != null) {
      String message = e.getMessage();
      return message.startsWith("LOADING")
          || message.startsWith("BUSY")
          || message.startsWith("TRYAGAIN")
          || message.startsWith("MASTERDOWN");
    }
    // Borrowing from an exhausted pool, or what Jedis wraps a socket failure in.
    return !(e instanceof JedisDataException);
  }

  private static void sleep(Duration pause) {
    try {
      Thread.sleep(pause.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Redis", e);
    }
  }
}
