package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.server.support.SecurityRows;
import dev.sluice.server.support.SseReader;
import dev.sluice.server.support.TestServer;
import dev.sluice.store.Database;
import java.net.http.HttpClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The security pipeline's live updates on {@code /api/stream?pipeline=security}: alerts written
 * without a ledger (the real-time query) reach the stream through the feed's poll, with no NOTIFY;
 * the ledgered queries' NOTIFY wakes it too; a change carries only the new alerts.
 */
class SecurityLiveStreamIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String STREAM = "/api/stream?pipeline=security";
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Optional.empty());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void alertsArriveWithoutANotifyAndEachChangeCarriesOnlyTheNewOnes() throws Exception {
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    try (SseReader client = new SseReader(http, server.uri(STREAM));
        Connection c = server.jdbc()) {
      JsonNode snapshot = client.next("snapshot", WAIT).data();
      assertThat(snapshot.get("pipeline").asText()).isEqualTo("security");
      assertThat(snapshot.get("data").get("whole").asBoolean()).isTrue();
      assertThat(snapshot.get("data").get("open_count").asLong()).isZero();
      assertThat(snapshot.get("data").get("traffic")).isNotNull();

      SecurityRows rows = new SecurityRows(c);
      long first =
          rows.injection(
              0,
              1,
              "xss",
              "941100",
              "query:q",
              SecurityApiIT.SCRIPT,
              "203.0.113.7",
              "shop.example",
              now.minusSeconds(5));
      JsonNode change = nextChangeWithAlerts(client);
      assertThat(change.get("batches")).isEmpty(); // found by the poll: nothing announced it
      JsonNode data = change.get("data");
      assertThat(data.get("whole").asBoolean()).isFalse();
      assertThat(ids(data.get("alerts"))).containsExactly(first);
      assertThat(data.get("alerts").get(0).get("excerpt").asText()).isEqualTo(SecurityApiIT.SCRIPT);
      assertThat(data.get("open_count").asLong()).isEqualTo(1);
      assertThat(data.get("open").get(0).get("class").asText()).isEqualTo("xss");
      // The aggregates follow at their own bounded rate.
      JsonNode perMinute = received(client, e -> e.get("per_minute").size() > 0, WAIT).get("data");
      assertThat(perMinute.get("per_minute").get(0).get("class").asText()).isEqualTo("xss");
      assertThat(perMinute.get("top_sources").get(0).get("name").asText()).isEqualTo("203.0.113.7");

      long second =
          rows.injection(
              1,
              9,
              "sqli",
              "942100",
              "body",
              "1 UNION SELECT 1",
              "198.51.100.4",
              "db.example",
              now.minusSeconds(2));
      data = nextChangeWithAlerts(client).get("data");
      assertThat(ids(data.get("alerts"))).containsExactly(second);
      assertThat(data.get("open_count").asLong()).isEqualTo(2);

      // A client that comes later starts from the whole kept state.
      try (SseReader later = new SseReader(http, server.uri(STREAM))) {
        JsonNode kept = later.next("snapshot", WAIT).data().get("data");
        assertThat(ids(kept.get("alerts"))).containsExactly(second, first);
        assertThat(kept.get("open_count").asLong()).isEqualTo(2);
      }

      // A ledgered query's commit announces itself; its traffic is read within the interval.
      rows.traffic(
          "stream",
          now.truncatedTo(ChronoUnit.MINUTES),
          "packets",
          "10.0.0.1",
          "10.0.0.2",
          443,
          "tcp",
          12,
          9000);
      try (PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
        notify.setString(1, Database.BATCHES_CHANNEL);
        notify.setString(2, "{\"pipeline\":\"security\",\"batch_id\":3}");
        notify.execute();
      }
      JsonNode announced =
          client
              .next(
                  e ->
                      e.name().equals("batch")
                          && e.data().get("pipeline").asText().equals("security")
                          && e.data().get("batches").size() == 1,
                  WAIT)
              .data();
      assertThat(announced.get("batches").get(0).asLong()).isEqualTo(3);
      JsonNode traffic =
          received(client, e -> e.get("traffic").path("talkers").size() > 0, Duration.ofSeconds(30))
              .get("data")
              .get("traffic");
      assertThat(traffic.get("talkers").get(0).get("source").asText()).isEqualTo("10.0.0.1");
      assertThat(traffic.get("talkers").get(0).get("bytes").asLong()).isEqualTo(9000);
      assertThat(traffic.get("hosts")).hasSize(2);
      assertThat(traffic.get("protocols").get(0).get("proto").asText()).isEqualTo("tcp");
    }
  }

  private static JsonNode nextChangeWithAlerts(SseReader client) throws InterruptedException {
    return client
        .next(
            e ->
                e.name().equals("batch")
                    && e.data().get("pipeline").asText().equals("security")
                    && e.data().get("data").get("alerts").size() > 0,
            WAIT)
        .data();
  }

  /**
   * The first security event whose data matches, among those received so far or the next ones: a
   * part read at its own rate may come with the change the test waited for, or after it.
   */
  private static JsonNode received(SseReader client, Predicate<JsonNode> data, Duration timeout)
      throws InterruptedException {
    Predicate<SseReader.Event> wanted =
        e ->
            (e.name().equals("batch") || e.name().equals("snapshot"))
                && e.data().get("pipeline").asText().equals("security")
                && data.test(e.data().get("data"));
    return client.received().stream()
        .filter(wanted)
        .findFirst()
        .orElseGet(() -> nextOrFail(client, wanted, timeout))
        .data();
  }

  private static SseReader.Event nextOrFail(
      SseReader client, Predicate<SseReader.Event> wanted, Duration timeout) {
    try {
      return client.next(wanted, timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  private static List<Long> ids(JsonNode alerts) {
    List<Long> ids = new ArrayList<>();
    alerts.forEach(a -> ids.add(a.get("id").asLong()));
    return ids;
  }
}
