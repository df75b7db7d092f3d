package dev.sluice.bench.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's own clients, briefly, against a real server started as the benchmark starts it
 * ({@link ServerProcess}): they must count what they claim.
 */
class BenchToolsIT {
  static final String TOKEN = "bench-token";

  /**
   * Long enough for one acknowledged post on a machine busy with other builds (one second saw none
   * at a load average of 18); the run ends sooner, at its 500 posts, on a quiet one.
   */
  private static final double MEASURED_SECONDS = 10;

  private static ServerProcess server;
  private static Database database;

  @BeforeAll
  static void start() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    // A schema of its own, so the server's answers hold no other test's rows.
    String schema = "bench_tools_" + ProcessHandle.current().pid();
    try (Connection connection = new Database(platform.dbUrl(), platform.dbUser(), null).connect();
        Statement statement = connection.createStatement()) {
      statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      statement.execute("CREATE SCHEMA " + schema);
    }
    String url = platform.dbUrl() + "?currentSchema=" + schema;
    database = new Database(url, platform.dbUser(), null);
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-tools-");
    server =
        ServerProcess.start(
            Map.of(
                "SLUICE_HOME", home.toString(),
                "SLUICE_KAFKA", platform.kafka(),
                "SLUICE_DB_URL", url,
                "SLUICE_DB_USER", platform.dbUser(),
                "SLUICE_HTTP_PORT", Integer.toString(EmbeddedPlatform.freePort()),
                "SLUICE_API_TOKEN", TOKEN),
            home.resolve("server.log"));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void theServerRunsAsItsOwnProcessWithItsMemoryReadable() {
    assertThat(server.isAlive()).isTrue();
    assertThat(server.pid()).isNotEqualTo(ProcessHandle.current().pid());
    assertThat(server.memoryMib("VmRSS")).isPositive();
    assertThat(ServerProcess.cpuSeconds(server.pid())).isPositive();
  }

  @Test
  void closedLoopPostsAreAcknowledgedAndTimed() throws Exception {
    int port = server.port();
    HttpLoad.Requests posts = ApiBench.reviewPosts(port, TOKEN);
    long before = acceptedSoFar();

    HttpLoad.Result result =
        HttpLoad.run("127.0.0.1", port, 4, 0.2, MEASURED_SECONDS, 500, 202, posts);

    assertThat(result.failed()).isZero();
    assertThat(result.ok()).isBetween(1L, 500L);
    assertThat(result.latencies().count()).isEqualTo((int) result.ok());
    assertThat(result.latencies().percentileMillis(50)).isPositive();
    assertThat(acceptedSoFar() - before).isGreaterThanOrEqualTo(result.ok());
  }

  @Test
  void theBaselineAnswersOnlyWhatKafkaAcknowledged() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "bench-baseline-");
    try (KafkaTopics topics = new KafkaTopics(platform.kafka());
        ServerProcess baseline =
            ServerProcess.startBaseline(
                Map.of("SLUICE_KAFKA", platform.kafka(), "BASELINE_TOPIC", ApiBench.BASELINE_TOPIC),
                home.resolve("baseline.log"))) {
      topics.ensure(ApiBench.BASELINE_TOPIC, 2);
      long before = topics.endOffsetSum(ApiBench.BASELINE_TOPIC);

      HttpLoad.Result result =
          HttpLoad.run(
              "127.0.0.1",
              baseline.port(),
              4,
              0.2,
              MEASURED_SECONDS,
              500,
              202,
              ApiBench.reviewPosts(baseline.port(), TOKEN));

      assertThat(result.failed()).isZero();
      assertThat(result.ok()).isBetween(1L, 500L);
      assertThat(topics.endOffsetSum(ApiBench.BASELINE_TOPIC) - before)
          .isGreaterThanOrEqualTo(result.ok());
    }
  }

  @Test
  void wrongAnswersCountAsFailures() throws Exception {
    int port = server.port();
    HttpLoad.Requests posts = ApiBench.reviewPosts(port, "wrong-token");

    HttpLoad.Result result = HttpLoad.run("127.0.0.1", port, 2, 0, 0.5, 100, 202, posts);

    assertThat(result.ok()).isZero();
    assertThat(result.failed()).isPositive();
    assertThat(result.firstFailure()).isEqualTo("status 401");
  }

  @Test
  void everyStreamReceivesEveryNotification() throws Exception {
    int port = server.port();
    try (SseFanout fanout = new SseFanout("127.0.0.1", port, 20, 3)) {
      assertThat(fanout.awaitSnapshots(10_000)).isEqualTo(20);

      SseFanout.Result result = fanout.run(database, 200, 5_000);

      assertThat(result.received()).isEqualTo(60);
      assertThat(result.delays().count()).isEqualTo(60);
      assertThat(result.delays().percentileMillis(99)).isBetween(0.0, 5_000.0);
    }
  }

  @Test
  void percentilesAreNearestRank() {
    Latencies latencies = new Latencies(4);
    for (int i = 1; i <= 100; i++) {
      latencies.add(i * 1_000_000L);
    }
    assertThat(latencies.percentileMillis(50)).isEqualTo(50.0);
    assertThat(latencies.percentileMillis(99)).isEqualTo(99.0);
    assertThat(latencies.percentileMillis(100)).isEqualTo(100.0);
    assertThat(new Latencies(1).percentileMillis(99)).isZero();
  }

  @Test
  void jsonLineHasTheFieldsTheIssueAsksFor() {
    Latencies some = new Latencies(1);
    some.add(2_000_000);
    HttpLoad.Result post = new HttpLoad.Result(10, 10, 0, 1, some, null);
    SseFanout.Result sse = new SseFanout.Result(3, 3, 1, 3, 3, some, 100);
    HttpLoad.Result baseline = new HttpLoad.Result(20, 20, 0, 1, some, null);
    String json = ApiBench.json(post, baseline, post, sse, 123.45);
    assertThat(json)
        .isEqualTo(
            "{\"post_rps\":10,\"post_p50_ms\":2.00,\"post_p99_ms\":2.00,\"baseline_post_rps\":20,"
                + "\"baseline_post_p99_ms\":2.00,\"post_vs_baseline\":0.500,\"top_rps\":10,"
                + "\"top_p99_ms\":2.00,\"sse_clients\":3,\"sse_p99_ms\":2.0,\"server_rss_mb\":123.5}");
  }

  private static long acceptedSoFar() throws Exception {
    String metrics =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                    .timeout(Duration.ofSeconds(15))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    return metrics
        .lines()
        .filter(l -> l.startsWith("sluice_records_accepted_total{pipeline=\"reviews\"} "))
        .mapToLong(l -> Long.parseLong(l.substring(l.indexOf(' ') + 1)))
        .findFirst()
        .orElse(0);
  }
}
