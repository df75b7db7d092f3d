package dev.sluice.spark.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The flood sink's statements on the real alerts table: a DDoS window is counted without the
 * requests and sources of the DoS alerts stored for the same target and window.
 */
class FloodAlertsIT {
  static final String TOPIC = "sensor-events";
  static final Instant WINDOW = Instant.parse("2026-11-30T10:00:00Z");
  static final long DDOS_REQUESTS = 2_000;
  static final long DDOS_SOURCES = 100;

  private static Database database;

  @BeforeAll
  static void schema() throws SQLException {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    try (Connection connection = new Database(platform.dbUrl(), platform.dbUser(), null).connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS flood_alerts CASCADE");
      statement.execute("CREATE SCHEMA flood_alerts");
    }
    database =
        new Database(
            platform.dbUrl()
                + (platform.dbUrl().contains("?") ? "&" : "?")
                + "currentSchema=flood_alerts",
            platform.dbUser(),
            null);
    database.migrate(List.of(Pipelines.registered().require(SecurityDefinition.NAME)));
  }

  @Test
  void aSingleSourceFloodOnABusyTargetIsADosAndNoDdos() throws SQLException {
    try (Connection connection = database.connect()) {
      dos(connection, "10.9.9.9", "busy.example", 2_100);
      // 2,500 requests from 130 sources, of which 2,100 from the one flooding source.
      boolean written = ddos(connection, "busy.example", 2_500, 130);

      assertThat(written).isFalse();
      assertThat(alerts(connection, "busy.example")).containsExactly("dos 2100");
    }
  }

  @Test
  void aDistributedFloodBesideADosStillCountsItsOwnSources() throws SQLException {
    try (Connection connection = database.connect()) {
      dos(connection, "10.9.9.8", "both.example", 2_100);
      // Without the DoS source: 2,900 requests from 149 sources, over both thresholds.
      boolean written = ddos(connection, "both.example", 5_000, 150);

      assertThat(written).isTrue();
      assertThat(alerts(connection, "both.example")).containsExactly("ddos 5000", "dos 2100");
    }
  }

  @Test
  void aDistributedFloodAloneIsADdosAndGrowsWithItsWindow() throws SQLException {
    try (Connection connection = database.connect()) {
      assertThat(ddos(connection, "alone.example", 2_500, 130)).isTrue();
      assertThat(ddos(connection, "alone.example", 3_000, 180)).isTrue();
      // A replay of the earlier, smaller window changes nothing.
      ddos(connection, "alone.example", 2_500, 130);

      assertThat(alerts(connection, "alone.example")).containsExactly("ddos 3000");
    }
  }

  @Test
  void tooFewSourcesOnceTheDosSourcesAreTakenOutIsNoDdos() throws SQLException {
    try (Connection connection = database.connect()) {
      dos(connection, "10.9.9.7", "few.example", 600);
      dos(connection, "10.9.9.6", "few.example", 600);
      // 3,000 requests, 1,800 without the DoS sources; 101 sources, 99 without them.
      assertThat(ddos(connection, "few.example", 3_000, 101)).isFalse();
    }
  }

  private static void dos(Connection connection, String source, String target, long events)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Floods.AlertSink.UPSERT)) {
      bindAlert(statement, "dos", source, target, events, 1);
      assertThat(statement.executeUpdate()).isEqualTo(1);
    }
  }

  private static boolean ddos(Connection connection, String target, long events, long sources)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(Floods.AlertSink.DDOS_UPSERT)) {
      bindAlert(statement, "ddos", Floods.MANY_SOURCES, target, events, sources);
      statement.setString(13, TOPIC);
      statement.setString(14, target);
      statement.setTimestamp(15, Timestamp.from(WINDOW));
      statement.setLong(16, events);
      statement.setLong(17, DDOS_REQUESTS);
      statement.setLong(18, sources);
      statement.setLong(19, DDOS_SOURCES);
      return statement.executeUpdate() == 1;
    }
  }

  private static void bindAlert(
      PreparedStatement statement,
      String flood,
      String source,
      String target,
      long events,
      long sources)
      throws SQLException {
    statement.setString(1, SecurityDefinition.NAME);
    statement.setString(2, TOPIC);
    statement.setString(3, flood);
    statement.setString(4, flood + " rule");
    statement.setString(5, events + " requests");
    statement.setString(6, source);
    statement.setString(7, target);
    statement.setTimestamp(8, Timestamp.from(WINDOW.plusSeconds(9)));
    statement.setTimestamp(9, Timestamp.from(WINDOW));
    statement.setTimestamp(10, Timestamp.from(WINDOW.plusSeconds(10)));
    statement.setLong(11, events);
    statement.setLong(12, sources);
  }

  private static List<String> alerts(Connection connection, String target) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT class || ' ' || events FROM alerts WHERE target = ? ORDER BY class")) {
      statement.setString(1, target);
      List<String> alerts = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          alerts.add(rows.getString(1));
        }
      }
      return alerts;
    }
  }
}
