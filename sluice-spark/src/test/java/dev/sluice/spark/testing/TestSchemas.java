package dev.sluice.spark.testing;

import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/** Schemas of the shared platform's database, one per test, so that tests see only their rows. */
public final class TestSchemas {
  private static final AtomicInteger CREATED = new AtomicInteger();

  private TestSchemas() {}

  /**
   * A new schema named {@code prefix_<pid>_<n>}, with Sluice's tables in it: unique across test
   * JVMs and runs that share the platform.
   */
  public static Database migrated(String prefix) throws SQLException {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    String schema = prefix + "_" + ProcessHandle.current().pid() + "_" + CREATED.incrementAndGet();
    try (Connection connection =
            DriverManager.getConnection(platform.dbUrl(), platform.dbUser(), null);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    Database database =
        new Database(platform.dbUrl() + "?currentSchema=" + schema, platform.dbUser(), null);
    database.migrate();
    return database;
  }
}
