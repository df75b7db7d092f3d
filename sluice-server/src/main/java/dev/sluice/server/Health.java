package dev.sluice.server;

import dev.sluice.server.pipeline.BearerAuth;
import dev.sluice.server.pipeline.Reads;
import io.javalin.http.Context;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;

/** {@code /healthz} (the process answers) and {@code /readyz} (Kafka and the database answer). */
final class Health {
  static final int CHECK_TIMEOUT_SECONDS = 2;

  private final Admin kafka;
  private final DataSource database;
  private final BearerAuth auth;

  Health(Admin kafka, DataSource database, BearerAuth auth) {
    this.kafka = kafka;
    this.database = database;
    this.auth = auth;
  }

  void live(Context ctx) {
    ctx.contentType("application/json").result("{\"status\":\"ok\"}");
  }

  void ready(Context ctx) {
    String kafkaProblem = checkKafka();
    String databaseProblem = checkDatabase();
    Map<String, Object> checks = new LinkedHashMap<>();
    checks.put("kafka", kafkaProblem == null ? "up" : "down");
    checks.put("database", databaseProblem == null ? "up" : "down");
    if (kafkaProblem == null && databaseProblem == null) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("status", "ready");
      body.putAll(checks);
      ctx.contentType("application/json").result(Json.bytes(body));
      return;
    }
    // Why a system is down (hosts, ports, driver messages) only for the API token's holders.
    boolean reasons = auth.authenticated(ctx);
    StringBuilder detail = new StringBuilder("not ready:");
    if (kafkaProblem != null) {
      detail.append(" Kafka: ").append(reasons ? kafkaProblem : "unreachable").append(';');
    }
    if (databaseProblem != null) {
      detail.append(" database: ").append(reasons ? databaseProblem : "unreachable").append(';');
    }
    detail.setLength(detail.length() - 1);
    if (!reasons) {
      detail.append(" (send the API token to see why)");
    }
    throw new Problem(503, detail.toString(), checks);
  }

  private String checkKafka() {
    try {
      kafka.describeCluster().nodes().get(CHECK_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      return null;
    } catch (java.util.concurrent.TimeoutException e) {
      return "no answer within " + CHECK_TIMEOUT_SECONDS + " s";
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause().getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private String checkDatabase() {
    try (Connection c = database.getConnection()) {
      return c.isValid(CHECK_TIMEOUT_SECONDS) ? null : "the connection is not valid";
    } catch (java.sql.SQLException e) {
      return Reads.rootMessage(e);
    }
  }
}
