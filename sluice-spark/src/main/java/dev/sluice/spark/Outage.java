package dev.sluice.spark;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.process.PermanentFailure;
import dev.sluice.spark.stream.RedisRetry;
import java.net.ConnectException;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One outage of what a pipeline depends on, from its first failure to its recovery: one log line
 * when it begins (what failed, since when), one when it ends (how long it lasted), and the backoff
 * between attempts in between, so a database away for an hour logs two lines, not thousands.
 *
 * <p>Also the one place that tells an outage from a {@link PermanentFailure}: a failure is
 * permanent when its causes hold a {@code PermanentFailure}, a {@link ConfigException}, or a
 * PostgreSQL error of the classes no retry changes (42: the schema is not what the code expects; 22
 * and 23: a value the table refuses).
 */
final class Outage {
  private static final Logger log = LoggerFactory.getLogger(Outage.class);

  static final Duration FIRST_DELAY = Duration.ofMillis(500);
  static final Duration MAX_DELAY = Duration.ofSeconds(30);

  private final String what;
  private final Instant since;
  private Duration delay = FIRST_DELAY;
  private int attempts;

  private Outage(String what, Instant since) {
    this.what = what;
    this.since = since;
  }

  /** Starts an outage of {@code subject} (e.g. "reviews"), logging its one line. */
  static Outage begin(String subject, Throwable failure) {
    Outage outage = new Outage(subject, Instant.now());
    log.warn(
        "{}: {} since {} ({}); retrying with backoff up to {} s, resuming from the checkpoint",
        subject,
        dependency(failure),
        LocalTime.ofInstant(outage.since, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS),
        rootMessage(failure),
        MAX_DELAY.toSeconds());
    return outage;
  }

  /** Another failed attempt, logged at debug level only. */
  void failedAgain(Throwable failure) {
    attempts++;
    log.debug("{}: retry {} failed: {}", what, attempts, rootMessage(failure));
  }

  /** How long to wait before the next attempt: doubling from the first delay, up to the most. */
  Duration nextDelay() {
    Duration wait = delay;
    delay = delay.multipliedBy(2).compareTo(MAX_DELAY) > 0 ? MAX_DELAY : delay.multipliedBy(2);
    return wait;
  }

  /**
   * Runs {@code action} until it succeeds, waiting out outages; a permanent failure is thrown at
   * once.
   */
  static <T> T retrying(String subject, java.util.function.Supplier<T> action) {
    Outage outage = null;
    while (true) {
      try {
        T result = action.get();
        if (outage != null) {
          outage.ended();
        }
        return result;
      } catch (RuntimeException e) {
        if (permanentCause(e).isPresent()) {
          throw e;
        }
        if (outage == null) {
          outage = begin(subject, e);
        } else {
          outage.failedAgain(e);
        }
        sleep(outage.nextDelay());
      }
    }
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting out an outage", e);
    }
  }

  /** Logs the end of the outage. */
  void ended() {
    Duration lasted = Duration.between(since, Instant.now());
    log.info(
        "{}: recovered after {} s and {} retries",
        what,
        String.format(Locale.ROOT, "%.1f", lasted.toMillis() / 1000.0),
        attempts + 1);
  }

  /** The permanent failure among {@code failure}'s causes, if any. */
  static Optional<Throwable> permanentCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof PermanentFailure || t instanceof ConfigException) {
        return Optional.of(t);
      }
      if (t instanceof SQLException sql && sql.getSQLState() != null) {
        String sqlClass = sql.getSQLState().length() >= 2 ? sql.getSQLState().substring(0, 2) : "";
        if (sqlClass.equals("42") || sqlClass.equals("22") || sqlClass.equals("23")) {
          return Optional.of(t);
        }
      }
    }
    return Optional.empty();
  }

  /** What is away, as far as the causes tell. */
  static String dependency(Throwable failure) {
    if (isDatabaseOutage(failure)) {
      return "PostgreSQL unavailable";
    }
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      String type = t.getClass().getName();
      if (type.startsWith("org.apache.kafka")) {
        return "Kafka unavailable";
      }
      if (type.startsWith("redis.clients.jedis")
          || t instanceof RedisRetry.RedisUnavailableException) {
        return "Redis unavailable";
      }
      if (t instanceof ConnectException) {
        return "a connection refused";
      }
    }
    return "the query failed";
  }

  /** Whether the database is what failed: a JDBC or PostgreSQL driver error among the causes. */
  static boolean isDatabaseOutage(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException || t.getClass().getName().startsWith("org.postgresql")) {
        return true;
      }
    }
    return false;
  }

  static String rootMessage(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    String line = message.lines().findFirst().orElse("").strip();
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }
}
