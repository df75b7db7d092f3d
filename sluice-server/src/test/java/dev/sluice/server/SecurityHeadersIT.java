package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.support.RawHttp;
import dev.sluice.server.support.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every answer, page, script, API answer or problem, carries the same security headers. */
class SecurityHeadersIT {
  private static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(Optional.empty());
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "/, 200",
    "/reviews/, 200",
    "/reviews/post.html, 200",
    "/security/, 200",
    "/security/dashboard.js, 200",
    "/api/security/incidents/open, 200",
    "/api/security/alerts?class=BAD, 400",
    "/api/security/incidents/999, 404",
    "/js/common.js, 200",
    "/css/sluice.css, 200",
    "/webjars/chart.js/4.5.1/dist/chart.umd.min.js, 200",
    "/api/info, 200",
    "/api/pipelines, 200",
    "/metrics, 200",
    "/healthz, 200",
    "/api/words/top?limit=0, 400",
    "/api/predictions/nothing, 404",
    "/no/such/file.html, 404"
  })
  void everyAnswerCarriesTheSecurityHeaders(String path, int status) throws Exception {
    int port = server.server().port();
    RawHttp.Response answer = RawHttp.get(port, path, "127.0.0.1:" + port);

    assertThat(answer.status()).isEqualTo(status);
    assertSecurityHeaders(answer);
  }

  @Test
  void refusalsCarryThemToo() throws Exception {
    assertSecurityHeaders(RawHttp.get(server.server().port(), "/", "rebound.example.com"));

    HttpResponse<String> unauthorized =
        server.send(
            HttpRequest.newBuilder(server.uri("/api/reviews"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"no token\"}"))
                .build());
    assertThat(unauthorized.statusCode()).isEqualTo(401);
    assertThat(unauthorized.headers().firstValue("Content-Security-Policy"))
        .hasValue(SluiceServer.CONTENT_SECURITY_POLICY);
    assertThat(unauthorized.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
  }

  @Test
  void thePolicyAllowsNoInlineScriptNoFramingAndNoForeignOrigin() {
    assertThat(SluiceServer.CONTENT_SECURITY_POLICY)
        .contains("default-src 'self'")
        .contains("script-src 'self';")
        .contains("frame-ancestors 'none'")
        .contains("object-src 'none'")
        .doesNotContain("unsafe-inline")
        .doesNotContain("unsafe-eval")
        .doesNotContain("*");
  }

  private static void assertSecurityHeaders(RawHttp.Response answer) {
    assertThat(answer.header("Content-Security-Policy"))
        .isEqualTo(SluiceServer.CONTENT_SECURITY_POLICY);
    assertThat(answer.header("X-Content-Type-Options")).isEqualTo("nosniff");
    assertThat(answer.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(answer.header("X-Frame-Options")).isEqualTo("DENY");
  }
}
