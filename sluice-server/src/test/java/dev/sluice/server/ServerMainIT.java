package dev.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.process.SluiceModules;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The server as the launcher runs it: its own process, configured by the environment. */
class ServerMainIT {

  @Test
  void badSettingsPrintOneLineEachAndExit2WithoutAStackTrace() throws Exception {
    ProcessBuilder builder = server(Map.of("SLUICE_HTTP_PORT", "99999", "SLUICE_KAFKA", "nohost"));
    Process process = builder.start();
    String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stdout).isEmpty();
    assertThat(stderr)
        .contains("SLUICE_HTTP_PORT='99999' is not valid: expected a whole number from 1 to 65535");
    assertThat(stderr).contains("SLUICE_KAFKA='nohost' is not valid");
    assertThat(stderr.lines()).hasSize(2);
    assertThat(stderr).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void missingKafkaAndDatabaseAreBothReported() throws Exception {
    Process process = server(Map.of()).start();
    String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(process.exitValue()).isEqualTo(2);
    assertThat(stderr.lines()).hasSize(2);
    assertThat(stderr).contains("SLUICE_KAFKA is not set").contains("SLUICE_DB_URL is not set");
  }

  @Test
  void startsMigratesAndPrintsTheDashboardLine() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    int port = freePort();
    ProcessBuilder builder = server(Map.of("SLUICE_HTTP_PORT", Integer.toString(port)));
    builder.environment().putAll(platform.env());
    builder.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("Dashboard: http://127.0.0.1:" + port + "/");
      HttpResponse<String> index =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(index.statusCode()).isEqualTo(200);
      assertThat(index.body()).contains("<title>Sluice · Overview</title>");
      HttpResponse<String> reviews =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/reviews/"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(reviews.statusCode()).isEqualTo(200);
      assertThat(reviews.body()).contains("<title>Sluice · Reviews</title>");
      HttpResponse<String> ready =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
    } finally {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void withoutAConfiguredTokenItGeneratesOneOnlyItsUserCanReadAndNeverPrintsIt() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    int port = freePort();
    ProcessBuilder builder = server(Map.of("SLUICE_HTTP_PORT", Integer.toString(port)));
    builder.environment().putAll(platform.env());
    Path home = Path.of(builder.environment().get("SLUICE_HOME"));
    Path log = home.resolve("server.log");
    builder.redirectError(log.toFile());
    Process process = builder.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).isEqualTo("Dashboard: http://127.0.0.1:" + port + "/");
      Path tokenFile = home.resolve("api-token");
      assertThat(Files.getPosixFilePermissions(tokenFile))
          .containsExactlyInAnyOrder(
              PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      String token = Files.readString(tokenFile).strip();
      assertThat(Base64.getUrlDecoder().decode(token)).hasSizeGreaterThanOrEqualTo(16);

      URI reviews = URI.create("http://127.0.0.1:" + port + "/api/reviews");
      String review = "{\"text\":\"a token was generated\"}";
      assertThat(post(reviews, review, null).statusCode()).isEqualTo(401);
      assertThat(post(reviews, review, token).statusCode()).isEqualTo(202);

      String stderr = Files.readString(log);
      assertThat(stderr).contains(tokenFile.toString()).doesNotContain(token);
    } finally {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aConfiguredTokenIsRequiredAndNeverPrinted() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    int port = freePort();
    String token = "configured-token-3b9e41";
    ProcessBuilder builder =
        server(Map.of("SLUICE_HTTP_PORT", Integer.toString(port), "SLUICE_API_TOKEN", token));
    builder.environment().putAll(platform.env());
    Path home = Path.of(builder.environment().get("SLUICE_HOME"));
    Path log = home.resolve("server.log");
    builder.redirectError(log.toFile());
    Process process = builder.start();
    try (BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      assertThat(out.readLine()).startsWith("Dashboard: ");
      URI reviews = URI.create("http://127.0.0.1:" + port + "/api/reviews");
      String review = "{\"text\":\"a token was configured\"}";
      assertThat(post(reviews, review, "wrong").statusCode()).isEqualTo(401);
      assertThat(post(reviews, review, token).statusCode()).isEqualTo(202);
      assertThat(home.resolve("api-token")).doesNotExist();
      assertThat(Files.readString(log)).contains("SLUICE_API_TOKEN").doesNotContain(token);
    } finally {
      process.destroy();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static HttpResponse<String> post(URI uri, String json, String token) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aPortInUseIsReportedAndExits1() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      ProcessBuilder builder =
          server(Map.of("SLUICE_HTTP_PORT", Integer.toString(taken.getLocalPort())));
      builder.environment().putAll(platform.env());
      Process process = builder.start();
      String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(process.exitValue()).isEqualTo(1);
      assertThat(stderr)
          .contains("sluice server: cannot start:")
          .contains(Integer.toString(taken.getLocalPort()));
      assertThat(stderr).doesNotContain("\tat ");
    }
  }

  /** The server with only these settings, in a home of its own under target/. */
  private static ProcessBuilder server(Map<String, String> settings) throws IOException {
    Path targetDir = Path.of("target").toAbsolutePath();
    Files.createDirectories(targetDir);
    Path home = Files.createTempDirectory(targetDir, "server-home-");
    ProcessBuilder builder =
        SluiceModules.locate()
            .java("sluice-server", "dev.sluice.server.ServerMain", List.of("-Xmx256m"), List.of());
    builder
        .environment()
        .keySet()
        .removeIf(
            key ->
                key.startsWith("SLUICE_")
                    && !key.equals("SLUICE_ROOT")
                    && !key.equals("SLUICE_PARENT_PID"));
    builder.environment().put("SLUICE_HOME", home.toString());
    builder.environment().putAll(settings);
    return builder;
  }

  private static int freePort() throws Exception {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
