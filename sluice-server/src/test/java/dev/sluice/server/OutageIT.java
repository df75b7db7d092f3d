package dev.sluice.server;

import static dev.sluice.server.ReviewApiIT.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.support.PipelineRows;
import dev.sluice.server.support.PipelineRows.Row;
import dev.sluice.server.support.SseReader;
import dev.sluice.server.support.TcpProxy;
import dev.sluice.server.support.TestServer;
import dev.sluice.store.Database;
import dev.sluice.testkit.EmbeddedPlatform;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The server keeps its promises while Kafka or PostgreSQL is unreachable, and recovers by itself.
 */
class OutageIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void whileTheDatabaseIsDownReadsAre503IngestWorksAndEverythingRecovers() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Database direct = TestServer.freshSchema(platform);
    URI url = URI.create(direct.url().substring("jdbc:".length()));
    try (TcpProxy proxy = new TcpProxy(url.getHost(), url.getPort())) {
      Database viaProxy =
          new Database(
              direct.url().replace(":" + url.getPort() + "/", ":" + proxy.port() + "/"),
              direct.user(),
              null);
      try (TestServer server = TestServer.start(Optional.empty(), platform.kafka(), viaProxy);
          SseReader stream =
              new SseReader(
                  HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(),
                  server.uri("/api/stream?pipeline=reviews"))) {
        stream.next("snapshot", Duration.ofSeconds(10));
        assertThat(server.get("/api/words/top").statusCode()).isEqualTo(200);

        proxy.cut();

        assertProblem(server.get("/api/words/top"), 503, "the database is unavailable");
        assertProblem(server.get("/api/predictions"), 503, "the database is unavailable");
        assertProblem(server.get("/api/pipelines"), 503, "retry shortly");
        HttpResponse<String> ready = server.get("/readyz");
        assertProblem(ready, 503, "database:");
        assertThat(JSON.readTree(ready.body()).get("kafka").asText()).isEqualTo("up");
        assertThat(
                server
                    .postJson("/api/reviews", "{\"text\":\"still accepted\"}", server.token())
                    .statusCode())
            .isEqualTo(202);
        var down = stream.next("status", Duration.ofSeconds(10)).data();
        assertThat(down.get("database").asText()).isEqualTo("down");
        // Why, with hosts and ports, only for the token's holders.
        assertThat(down.get("detail").asText())
            .contains("shown with the API token")
            .doesNotContain(Integer.toString(proxy.port()));
        assertProblem(server.get("/api/words/top"), 503, "the database is unavailable");
        assertThat(server.get("/api/words/top").body())
            .doesNotContain(Integer.toString(proxy.port()));

        // A batch committed while the server cannot listen: the snapshot after reconnecting has it.
        try (Connection c = direct.connect()) {
          new PipelineRows(c)
              .commitBatch(0, Map.of("missed", 2L), new Row("x1", "Missed", "pos", 0.9, "pos", 5));
        }
        proxy.restore();

        assertThat(stream.next("status", Duration.ofSeconds(15)).data().get("database").asText())
            .isEqualTo("up");
        var snapshot = stream.next("snapshot", Duration.ofSeconds(10)).data().get("data");
        assertThat(snapshot.get("last_batch_id").asLong()).isEqualTo(0);
        assertThat(snapshot.get("predictions").get(0).get("id").asText()).isEqualTo("x1");
        assertThat(awaitStatus(server, "/api/words/top", 200)).contains("missed");
        assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
      }
    }
  }

  @Test
  void whenKafkaDoesNotAcknowledgeThePostIs503WithTheId() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (TestServer server =
        TestServer.start(
            Optional.empty(), "127.0.0.1:" + closedPort, TestServer.freshSchema(platform))) {
      // Answered rather than held: the client's own request timeout bounds the wait.
      HttpResponse<String> response =
          server.postJson(
              "/api/reviews", "{\"id\":\"lost-1\",\"text\":\"Kafka is away\"}", server.token());

      assertProblem(response, 503, "Kafka did not acknowledge the review");
      assertThat(JSON.readTree(response.body()).get("id").asText()).isEqualTo("lost-1");
      HttpResponse<String> ready = server.get("/readyz");
      assertProblem(ready, 503, "Kafka:");
      assertThat(JSON.readTree(ready.body()).get("database").asText()).isEqualTo("up");
      assertThat(server.get("/api/words/top").statusCode()).isEqualTo(200);
    }
  }

  private static String awaitStatus(TestServer server, String path, int status)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
    HttpResponse<String> last = null;
    while (System.nanoTime() < deadline) {
      last = server.get(path);
      if (last.statusCode() == status) {
        return last.body();
      }
      Thread.sleep(200);
    }
    throw new AssertionError(path + " did not answer " + status + " in time; last: " + last.body());
  }
}
