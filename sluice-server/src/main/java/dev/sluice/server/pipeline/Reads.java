package dev.sluice.server.pipeline;

import dev.sluice.core.records.StorableText;
import dev.sluice.server.Json;
import dev.sluice.server.Problem;
import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read endpoints on the server's read-only pool: run a query, answer JSON, and turn database
 * trouble into the right problem (503 while it is unreachable, 500 otherwise).
 */
public final class Reads {
  private static final Logger LOG = LoggerFactory.getLogger(Reads.class);

  /** A query on a pooled connection. */
  public interface Query<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource pool;

  public Reads(DataSource pool) {
    this.pool = pool;
  }

  public <T> T query(Query<T> query) {
    try (Connection c = pool.getConnection()) {
      return query.run(c);
    } catch (SQLException e) {
      throw databaseProblem(e);
    }
  }

  public static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(Json.bytes(body));
  }

  /** A {@code limit} parameter: absent gives the default; a bad one is a 400 naming the range. */
  public static int limit(String text, int defaultLimit, int max) {
    if (text == null) {
      return defaultLimit;
    }
    try {
      int limit = Integer.parseInt(text.strip());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new Problem(
        400, "limit must be a whole number from 1 to " + max + ", got '" + abbreviate(text) + "'");
  }

  /**
   * A database that cannot be reached is a 503 the caller may retry (the pool reconnects by
   * itself); any other database error is the server's fault, a 500, and is logged. Reads are open
   * to anyone, so the answers never quote the driver's message (hosts, ports, SQL): {@code /readyz}
   * with the API token says why the database is down, the log why a query failed.
   */
  public static Problem databaseProblem(SQLException e) {
    if (isUnavailable(e)) {
      return new Problem(
          503,
          "the database is unavailable; retry shortly (GET /readyz with the API token says why)");
    }
    LOG.error("database query failed", e);
    return new Problem(500, "the database query failed; the server's log says why");
  }

  static boolean isUnavailable(SQLException e) {
    if (e instanceof SQLTransientException) {
      return true; // HikariCP: no connection within connectionTimeout
    }
    String state = e.getSQLState();
    // 08: connection exception; 57P0x: server shutting down or starting; 53: out of resources.
    return state != null
        && (state.startsWith("08") || state.startsWith("57P") || state.startsWith("53"));
  }

  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : e.getMessage() + ": " + message;
  }

  /** User input quoted in an answer, cut to a readable length. */
  public static String abbreviate(String text) {
    return StorableText.abbreviate(text, 60);
  }
}
