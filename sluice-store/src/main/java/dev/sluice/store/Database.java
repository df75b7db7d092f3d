package dev.sluice.store;

import dev.sluice.core.config.Secret;
import dev.sluice.core.config.SluiceConfig;
import java.io.Serializable;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
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

  public static Database from(SluiceConfig config) {
    return new Database(config.requireDbUrl(), config.dbUser(), config.dbPassword().orElse(null));
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
    return DriverManager.getConnection(url, props);
  }

  /** Brings the schema up to date; safe to call from every process at start-up. */
  public void migrate() {
    Flyway.configure(Database.class.getClassLoader())
        .dataSource(url, user, password == null ? null : password.reveal())
        .locations("classpath:db/migration")
        .load()
        .migrate();
  }

  @Override
  public String toString() {
    return "Database[" + url + " as " + user + "]";
  }
}
