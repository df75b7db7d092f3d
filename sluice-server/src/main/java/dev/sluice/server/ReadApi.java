package dev.sluice.server;

import io.javalin.http.Context;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The read endpoints: top words, predictions, accuracy and pipeline status, from the pool. */
final class ReadApi {
  private static final Logger LOG = LoggerFactory.getLogger(ReadApi.class);

  static final int WORDS_DEFAULT = 100;
  static final int WORDS_MAX = 1000;
  static final int PREDICTIONS_DEFAULT = 100;
  static final int PREDICTIONS_MAX = 1000;
  static final int ACCURACY_DEFAULT = 1000;
  static final int ACCURACY_MAX = 10_000;

  record Words(List<ReadQueries.WordCount> words) {}

  record Predictions(List<ReadQueries.Prediction> predictions) {}

  record Accuracy(List<ReadQueries.AccuracyPoint> accuracy) {}

  record Pipelines(List<ReadQueries.PipelineStatus> pipelines, String now) {}

  private interface Query<T> {
    T run(Connection c) throws SQLException;
  }

  private final DataSource pool;

  ReadApi(DataSource pool) {
    this.pool = pool;
  }

  void topWords(Context ctx) {
    int limit = limit(ctx.queryParam("limit"), WORDS_DEFAULT, WORDS_MAX);
    json(ctx, query(c -> new Words(ReadQueries.topWords(c, limit))));
  }

  void predictions(Context ctx) {
    int limit = limit(ctx.queryParam("limit"), PREDICTIONS_DEFAULT, PREDICTIONS_MAX);
    json(ctx, query(c -> new Predictions(ReadQueries.latestPredictions(c, limit))));
  }

  void prediction(Context ctx) {
    String id = ctx.pathParam("id");
    ReadQueries.Prediction found =
        query(c -> ReadQueries.prediction(c, id))
            .orElseThrow(
                () ->
                    new Problem(
                        404,
                        "no prediction for review id '"
                            + abbreviate(id)
                            + "' yet: the pipeline writes it after the "
                            + "micro-batch that reads the review commits",
                        Map.of("id", id)));
    json(ctx, found);
  }

  void accuracy(Context ctx) {
    int limit = limit(ctx.queryParam("limit"), ACCURACY_DEFAULT, ACCURACY_MAX);
    json(ctx, query(c -> new Accuracy(ReadQueries.accuracy(c, limit))));
  }

  void pipelines(Context ctx) {
    json(ctx, query(c -> new Pipelines(ReadQueries.pipelines(c), Instant.now().toString())));
  }

  private <T> T query(Query<T> query) {
    try (Connection c = pool.getConnection()) {
      return query.run(c);
    } catch (SQLException e) {
      throw databaseProblem(e);
    }
  }

  private static void json(Context ctx, Object body) {
    ctx.contentType("application/json").result(Json.bytes(body));
  }

  /** A bad {@code limit} is a 400 naming the accepted range. */
  static int limit(String text, int defaultLimit, int max) {
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
   * itself); any other database error is the server's fault, a 500, and is logged.
   */
  static Problem databaseProblem(SQLException e) {
    if (isUnavailable(e)) {
      return new Problem(
          503, "the database is unavailable (" + rootMessage(e) + "); retry shortly");
    }
    LOG.error("database query failed", e);
    return new Problem(500, "the database query failed: " + e.getMessage());
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

  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return root == e ? message : e.getMessage() + ": " + message;
  }

  private static String abbreviate(String text) {
    return text.length() <= 60 ? text : text.substring(0, 60) + "...";
  }
}
