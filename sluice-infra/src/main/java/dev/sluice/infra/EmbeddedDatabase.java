package dev.sluice.infra;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server on a data directory that survives restarts, tuned for durability rather than
 * test speed: every committed transaction is flushed to disk before the commit returns.
 */
final class EmbeddedDatabase {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /**
   * zonky starts the server with {@code -F} (fsync off) and {@code synchronous_commit=off}, which
   * can lose committed rows when PostgreSQL or the machine crashes; these come later on the command
   * line and win.
   */
  static final Map<String, String> DURABILITY =
      Map.of("fsync", "on", "synchronous_commit", "on", "full_page_writes", "on");

  private final Path dataDir;
  private final int port;
  private final Path logFile;
  private EmbeddedPostgres postgres;

  EmbeddedDatabase(Path dataDir, int port, Path logFile) {
    this.dataDir = dataDir;
    this.port = port;
    this.logFile = logFile;
  }

  /**
   * Starts the server (running initdb on first start) and makes sure the role and database exist.
   */
  void start(String owner) throws IOException, SQLException {
    Files.createDirectories(dataDir);
    Files.createDirectories(logFile.getParent());
    // The server outlives this JVM if it is killed, so it writes to its own file, not to a pipe.
    ProcessBuilder.Redirect serverLog = ProcessBuilder.Redirect.appendTo(logFile.toFile());
    EmbeddedPostgres.Builder builder =
        EmbeddedPostgres.builder()
            .setDataDirectory(dataDir)
            .setCleanDataDirectory(false)
            .setRegisterShutdownHook(false)
            .setPort(port)
            .setPGStartupWait(Duration.ofSeconds(90))
            .setOutputRedirector(serverLog)
            .setErrorRedirector(serverLog)
            .setServerConfig("listen_addresses", InfraPlan.LOOPBACK)
            // TCP only: a socket file in /tmp would collide between instances and outlive a kill.
            .setServerConfig("unix_socket_directories", "");
    DURABILITY.forEach(builder::setServerConfig);
    postgres = builder.start();
    ensureRoleAndDatabase(owner);
  }

  /** Idempotent, so a crash between the two statements on a first start heals on the next one. */
  private void ensureRoleAndDatabase(String owner) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    String url = "jdbc:postgresql://" + InfraPlan.LOOPBACK + ":" + port + "/postgres";
    try (Connection connection = DriverManager.getConnection(url, props)) {
      if (!exists(connection, "SELECT 1 FROM pg_roles WHERE rolname = ?", owner)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("CREATE ROLE " + quoteIdentifier(owner) + " LOGIN");
        }
        log.info("Created role {}", owner);
      }
      if (!exists(connection, "SELECT 1 FROM pg_database WHERE datname = ?", InfraPlan.DATABASE)) {
        try (Statement statement = connection.createStatement()) {
          statement.execute(
              "CREATE DATABASE "
                  + quoteIdentifier(InfraPlan.DATABASE)
                  + " OWNER "
                  + quoteIdentifier(owner));
        }
        log.info("Created database {} owned by {}", InfraPlan.DATABASE, owner);
      }
    }
  }

  private static boolean exists(Connection connection, String sql, String name)
      throws SQLException {
    try (PreparedStatement query = connection.prepareStatement(sql)) {
      query.setString(1, name);
      try (ResultSet rows = query.executeQuery()) {
        return rows.next();
      }
    }
  }

  /**
   * Role and database names cannot be bind parameters; quoting makes any name a single identifier.
   */
  static String quoteIdentifier(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /**
   * Starts the server again after it died: the handle of the dead one is closed first, which
   * releases its lock on the data directory (closing it cannot stop a server that is gone, and says
   * so in the log).
   */
  void restartAfterCrash(String owner) throws IOException, SQLException {
    if (postgres != null) {
      try {
        postgres.close();
      } catch (IOException | RuntimeException e) {
        log.debug("closing the handle of the dead server: {}", e.getMessage());
      }
      postgres = null;
    }
    start(owner);
  }

  /** Whether the server this instance started is still running. */
  boolean isRunning() {
    return Postmaster.runningPid(dataDir).isPresent();
  }

  /** A fast shutdown: open transactions roll back, committed ones are checkpointed. */
  void stop() throws IOException {
    if (postgres != null) {
      postgres.close();
    }
    // A start that failed after pg_ctl launched the server leaves no handle to close it with.
    if (Postmaster.runningPid(dataDir).isPresent()) {
      try {
        Postmaster.stopLeftover(dataDir);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
