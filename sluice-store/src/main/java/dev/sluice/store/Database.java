package dev.sluice.store;

import dev.sluice.core.config.Secret;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.List;
import java.util.Properties;
import org.flywaydb.core.Flyway;

/**
 * Where the database is, and how every Sluice process connects to it. Serializable so Spark
 * executors can open their own connections and write in parallel.
 */
public record Database(String url, String user, Secret password) implements Serializable {
  // password is null when the database needs none: Optional is not Serializable.

  /** The channel on which a pipeline announces each committed micro-batch. */
  public static final String BATCHES_CHANNEL = "sluice_batches";

  /** How long opening a connection may take. */
  public static final long CONNECT_TIMEOUT_SECONDS = 10;

  /**
   * How long any one answer from the database may take: above the slowest statement of a large
   * batch (a word-count fold of 100,000 reviews takes a few seconds), far below "forever".
   */
  public static final long SOCKET_TIMEOUT_SECONDS = 60;

  public static Database from(SluiceConfig config) {
    return new Database(config.requireDbUrl(), config.dbUser(), config.dbPassword().orElse(null));
  }

  /**
   * Closes a connection whose work is over, done or failed, ignoring a failure to close: after the
   * work nothing is left to save, and after a failure that failure is what the caller reports.
   */
  public static void closeQuietly(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException e) {
        // See above: nothing depends on it.
      }
    }
  }

  public Connection connect() throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", user);
    if (password != null) {
      props.setProperty("password", password.reveal());
    }
    // One round trip for a batch of inserts instead of one per row.
    props.setProperty("reWriteBatchedInserts", "true");
    props.setProperty("ApplicationName", "sluice");
    // A database that is down or hung fails a call within these bounds instead of stalling it
    // forever; the caller's retry (a pipeline restarts its query) takes it from there.
    props.setProperty("connectTimeout", Long.toString(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("loginTimeout", Long.toString(CONNECT_TIMEOUT_SECONDS));
    props.setProperty("socketTimeout", Long.toString(SOCKET_TIMEOUT_SECONDS));
    props.setProperty("tcpKeepAlive", "true");
    return DriverManager.getConnection(url, props);
  }

  /**
   * Brings the schema up to date: the platform's tables, then each registered pipeline's own (its
   * {@link PipelineDefinition#migrations()}, with a history table of its own, so pipelines version
   * their tables independently). Safe to call from every process at start-up.
   */
  public void migrate() {
    migrate(Pipelines.registered().all());
  }

  /** Like {@link #migrate()}, for the given pipelines' tables. */
  public void migrate(List<PipelineDefinition> pipelines) {
    flyway("classpath:db/migration", "flyway_schema_history").migrate();
    for (PipelineDefinition pipeline : pipelines) {
      pipeline
          .migrations()
          .ifPresent(
              location ->
                  flyway(
                          "classpath:" + location,
                          "flyway_history_" + pipeline.name().replace('-', '_'))
                      .migrate());
    }
  }

  private Flyway flyway(String location, String historyTable) {
    return Flyway.configure(Database.class.getClassLoader())
        .dataSource(url, user, password == null ? null : password.reveal())
        .locations(location)
        .table(historyTable)
        // A pipeline's first migration runs on a schema that already holds the platform's tables.
        .baselineOnMigrate(true)
        .baselineVersion("0")
        .load();
  }

  @Override
  public String toString() {
    return "Database[" + url + " as " + user + "]";
  }
}
