package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.server.support.RawHttp;
import dev.sluice.server.support.TestServer;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DNS rebinding: a request whose Host header is not one of the server's names is refused, whatever
 * it asks for, so a foreign page whose name now resolves to 127.0.0.1 reads nothing.
 */
class HostAllowListIT {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Optional.empty());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/info",
        "/api/pipelines",
        "/api/stream?pipeline=reviews",
        "/",
        "/reviews/",
        "/js/common.js",
        "/metrics",
        "/nothing-here"
      })
  void aForeignHostIsRefusedWithAProblemWhateverThePath(String path) throws Exception {
    RawHttp.Response answer = RawHttp.get(server.server().port(), path, "rebound.example.com");

    assertThat(answer.status()).isEqualTo(421);
    assertThat(answer.header("Content-Type")).startsWith(Problem.CONTENT_TYPE);
    JsonNode problem = JSON.readTree(answer.body());
    assertThat(problem.get("status").asInt()).isEqualTo(421);
    assertThat(problem.get("detail").asText())
        .contains("'rebound.example.com'")
        .contains("SLUICE_ALLOWED_HOSTS");
    assertThat(answer.body()).doesNotContain("pipelines\":[");
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "127.0.0.1", "[::1]", "LocalHost", "localhost."})
  void theLoopbackNamesAreAnsweredOnAnyPort(String name) throws Exception {
    int port = server.server().port();
    assertThat(RawHttp.get(port, "/api/info", name + ":" + port).status()).isEqualTo(200);
    assertThat(RawHttp.get(port, "/api/info", name).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1.rebound.example.com", "localhost:80:80", "localhost:x", ""})
  void namesThatOnlyLookLikeLoopbackAreRefused(String host) throws Exception {
    RawHttp.Response answer = RawHttp.get(server.server().port(), "/api/info", host);
    assertThat(answer.status()).isIn(400, 421);
    assertThat(answer.status()).isNotEqualTo(200);
  }

  @Test
  void configuredNamesReplaceTheDefaultAndMayNameAPort() throws Exception {
    SluiceServer.HttpPolicy defaults = SluiceServer.HttpPolicy.defaults();
    SluiceServer.HttpPolicy exposed =
        new SluiceServer.HttpPolicy(
            List.of("sluice.example.com", "10.0.0.7:8443"),
            defaults.maxSseClients(),
            defaults.idleTimeout(),
            defaults.postIdWindow());
    try (TestServer named = TestServer.start(Optional.empty(), exposed)) {
      int port = named.server().port();
      assertThat(RawHttp.get(port, "/api/info", "sluice.example.com").status()).isEqualTo(200);
      assertThat(RawHttp.get(port, "/api/info", "Sluice.Example.com:443").status()).isEqualTo(200);
      assertThat(RawHttp.get(port, "/api/info", "10.0.0.7:8443").status()).isEqualTo(200);
      assertThat(RawHttp.get(port, "/api/info", "10.0.0.7:8080").status()).isEqualTo(421);
      assertThat(RawHttp.get(port, "/api/info", "127.0.0.1:" + port).status()).isEqualTo(421);
    }
  }
}
