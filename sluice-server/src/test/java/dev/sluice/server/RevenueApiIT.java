package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.server.support.RevenueKeysWriter;
import dev.sluice.server.support.SseReader;
import dev.sluice.server.support.TestServer;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import dev.sluice.testkit.EmbeddedPlatform;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import redis.clients.jedis.Jedis;

/**
 * The revenue routes against a real Redis, filled by the test in the layout {@link RevenueKeys}
 * documents (database 11 of the platform's Redis, flushed first, so no other test's keys show), and
 * the live stream fed by the pipeline's change announcements.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RevenueApiIT {
  private static final long T0 = 1_764_518_400_000L; // 2025-11-30T16:00:00Z
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String ODD_ID = "kunde-ä-<b>&\"7\"";

  private static TestServer server;
  private static RedisPool pool;

  @BeforeAll
  static void start() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Redis redis = new Redis(RedisUrl.parse(platform.redis() + "/11"), null);
    pool = redis.openPool();
    pool.awaitReady(WAIT);
    try (Jedis jedis = pool.borrow()) {
      jedis.flushDB();
      RevenueKeysWriter writer = new RevenueKeysWriter(jedis, RevenueKeys.standard());
      // Step 1: three ids, one of them an integer, with late and duplicate records on the way.
      writer.apply(new RevenueRecord("acct-1", false, 1_000_000, 1, T0));
      writer.apply(new RevenueRecord("acct-1", false, 2_500_000, 3, T0 + 60_000));
      writer.apply(new RevenueRecord("acct-1", false, 1_800_000, 2, T0 + 30_000)); // late
      writer.apply(new RevenueRecord("acct-1", false, 2_500_000, 3, T0 + 60_000)); // duplicate
      writer.apply(new RevenueRecord("100002", true, 99_990_000, 7, T0 + 10_000));
      writer.apply(new RevenueRecord(ODD_ID, false, 12_345, 1, T0 + 5_000));
      writer.minute(T0, 3, "250", 2);
      writer.minute(T0 + 60_000, 2, "10000.5", 2);
      writer.minute(T0 + 120_000, 1, "1.2345", 1);
    }
    server = TestServer.startWithRedis(redis);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (pool != null) {
      pool.close();
    }
  }

  @Test
  void totalsAreTheExactSumOfTheLatestRecords() throws Exception {
    JsonNode totals = json(server.get("/api/revenue/totals"), 200);
    assertThat(totals.get("ids").asLong()).isEqualTo(3);
    // 250 + 9,999 + 1.2345
    assertThat(totals.get("revenue").asText()).isEqualTo("10250.2345");
  }

  @Test
  void topIdsComeHighestFirstWithTheirLatestRecord() throws Exception {
    JsonNode top = json(server.get("/api/revenue/top?limit=2"), 200).get("top");
    assertThat(top).hasSize(2);
    assertThat(top.get(0).get("rank").asInt()).isEqualTo(1);
    JsonNode first = top.get(0).get("latest");
    assertThat(first.get("id").asText()).isEqualTo("100002");
    assertThat(first.get("numeric_id").asBoolean()).isTrue();
    assertThat(first.get("revenue").asText()).isEqualTo("9999");
    assertThat(first.get("revenue_counter").asLong()).isEqualTo(7);
    JsonNode second = top.get(1).get("latest");
    assertThat(second.get("id").asText()).isEqualTo("acct-1");
    assertThat(second.get("revenue").asText()).isEqualTo("250");
    assertThat(second.get("time").asText()).isEqualTo("2025-11-30T16:01:00Z");
  }

  @Test
  void minutesAreTheNewestOnesOldestFirst() throws Exception {
    JsonNode minutes = json(server.get("/api/revenue/minutes?limit=2"), 200).get("minutes");
    assertThat(minutes).hasSize(2);
    assertThat(minutes.get(0).get("start").asLong()).isEqualTo(T0 + 60_000);
    assertThat(minutes.get(0).get("revenue").decimalValue()).isEqualByComparingTo("10000.5");
    assertThat(minutes.get(1).get("minute").asText()).isEqualTo("2025-11-30T16:02:00Z");
  }

  @Test
  void anIdsLookupGivesItsLatestRecordAndItsDistinctStatesNewestFirst() throws Exception {
    JsonNode found = json(server.get("/api/revenue/ids?id=acct-1"), 200);
    assertThat(found.get("latest").get("revenue_counter").asLong()).isEqualTo(3);
    List<Long> counters = new ArrayList<>();
    found.get("history").forEach(h -> counters.add(h.get("revenue_counter").asLong()));
    assertThat(counters)
        .containsExactly(3L, 2L, 1L); // the late one in its place, the duplicate once
    assertThat(found.get("kept").asLong()).isEqualTo(3);
    JsonNode limited = json(server.get("/api/revenue/ids?id=acct-1&history=1"), 200);
    assertThat(limited.get("history")).hasSize(1);

    JsonNode odd = json(server.get("/api/revenue/ids?id=" + encode(ODD_ID)), 200);
    assertThat(odd.get("latest").get("id").asText()).isEqualTo(ODD_ID);
    assertThat(odd.get("latest").get("revenue").asText()).isEqualTo("1.2345");
    JsonNode integer = json(server.get("/api/revenue/ids?id=100002"), 200);
    assertThat(integer.get("latest").get("numeric_id").asBoolean()).isTrue();
  }

  @Test
  void badParametersAreProblemsNamingTheParameter() throws Exception {
    assertProblem(server.get("/api/revenue/ids"), 400, "id");
    assertProblem(server.get("/api/revenue/ids?id=" + encode("a\u0001b")), 400, "id");
    assertProblem(server.get("/api/revenue/ids?id=" + "x".repeat(201)), 400, "id");
    assertProblem(server.get("/api/revenue/ids?id=acct-1&history=101"), 400, "history");
    assertProblem(server.get("/api/revenue/top?limit=0"), 400, "limit");
    assertProblem(server.get("/api/revenue/minutes?limit=abc"), 400, "limit");
    JsonNode unknown = json(server.get("/api/revenue/ids?id=never-seen"), 404);
    assertThat(unknown.get("detail").asText()).contains("never-seen");
  }

  /** Last: it adds an id, which the other tests' exact figures do not count. */
  @Test
  @Order(Integer.MAX_VALUE)
  void anAnnouncedChangeReachesTheLiveStreamWithTheNewFigures() throws Exception {
    try (SseReader client =
        new SseReader(server.http(), server.uri("/api/stream?pipeline=revenue"))) {
      JsonNode snapshot = client.next("snapshot", WAIT).data();
      assertThat(snapshot.get("pipeline").asText()).isEqualTo("revenue");
      assertThat(snapshot.get("data").get("totals").get("ids").asLong()).isGreaterThanOrEqualTo(3);
      assertThat(snapshot.get("data").get("redis").asText()).isEqualTo("up");

      try (Jedis jedis = pool.borrow()) {
        new RevenueKeysWriter(jedis, RevenueKeys.standard())
            .apply(new RevenueRecord("acct-live", false, 70_000, 1, T0 + 90_000));
      }
      JsonNode change =
          client
              .next(
                  e ->
                      e.name().equals("batch")
                          && e.data().get("pipeline").asText().equals("revenue")
                          && contains(e.data().get("data").get("changed"), "acct-live"),
                  WAIT)
              .data()
              .get("data");
      assertThat(change.get("totals").get("ids").asLong()).isEqualTo(4);
      assertThat(change.get("totals").get("revenue").asText()).isEqualTo("10257.2345");
      assertThat(change.get("top")).isNotEmpty();
    }
  }

  @Test
  void withoutAReachableRedisTheRoutesAnswer503() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TestServer unreachable =
            TestServer.startWithRedis(new Redis(RedisUrl.of("127.0.0.1", closedPort), null));
        TestServer none = TestServer.start(java.util.Optional.empty())) {
      assertThat(json(unreachable.get("/api/revenue/totals"), 503).get("detail").asText())
          .isEqualTo("Redis is unavailable; retry shortly");
      assertThat(json(none.get("/api/revenue/top"), 503).get("detail").asText())
          .contains("no Redis");
      // A bad parameter is still the caller's: checked before Redis is asked.
      assertProblem(unreachable.get("/api/revenue/ids?id="), 400, "id");
    }
  }

  private static boolean contains(JsonNode array, String id) {
    if (array == null) {
      return false;
    }
    for (JsonNode element : array) {
      if (element.asText().equals(id)) {
        return true;
      }
    }
    return false;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  private static JsonNode json(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    return Json.MAPPER.readTree(response.body());
  }

  private static void assertProblem(HttpResponse<String> response, int status, String parameter)
      throws Exception {
    assertThat(response.headers().firstValue("Content-Type")).hasValue(Problem.CONTENT_TYPE);
    JsonNode problem = json(response, status);
    assertThat(problem.get("parameter").asText()).isEqualTo(parameter);
  }
}
