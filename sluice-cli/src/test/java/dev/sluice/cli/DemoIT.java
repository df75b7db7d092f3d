package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.EmbeddedPlatform;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice demo} as a user runs it: from an empty SLUICE_HOME (the model is trained on the
 * way), to rising counts with an accuracy, through a killed pipeline that the launcher restarts, to
 * a clean stop that leaves no process behind.
 */
class DemoIT {
  private static final Pattern PROCESSED = Pattern.compile("\\| processed ([\\d,]+) \\|");

  @Test
  void streamsReviewsRestartsAKilledPipelineAndStopsCleanly() throws Exception {
    Path home = LauncherProcess.homeWithDataset("demo");
    int http = EmbeddedPlatform.freePort();
    Map<String, String> env =
        Map.of(
            "SLUICE_HOME", home.toString(),
            "SLUICE_EMBEDDED_KAFKA_PORT", Integer.toString(EmbeddedPlatform.freePortPair()),
            "SLUICE_EMBEDDED_POSTGRES_PORT", Integer.toString(EmbeddedPlatform.freePort()),
            "SLUICE_EMBEDDED_REDIS_PORT", Integer.toString(EmbeddedPlatform.freePort()),
            "SLUICE_HTTP_PORT", Integer.toString(http),
            "SLUICE_MAX_RECORDS_PER_BATCH", "2000");
    try (LauncherProcess demo = LauncherProcess.start(env, "demo", "--rate", "300")) {
      String dashboard = demo.await(line -> line.startsWith("Dashboard: "), Duration.ofMinutes(6));
      assertThat(dashboard).isEqualTo("Dashboard: http://127.0.0.1:" + http + "/");
      String token = demo.await(line -> line.startsWith("API token: "), Duration.ofMinutes(1));
      // The demo says where the generated token is, never what it is.
      Path tokenFile = home.resolve("api-token").toAbsolutePath();
      assertThat(token)
          .isEqualTo(
              "API token: in " + tokenFile + " (generated for this run, readable only by you)");
      assertThat(Files.getPosixFilePermissions(tokenFile))
          .containsExactlyInAnyOrder(
              java.nio.file.attribute.PosixFilePermission.OWNER_READ,
              java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
      assertThat(Files.readString(tokenFile).strip()).hasSizeGreaterThanOrEqualTo(43);
      HttpResponse<String> page =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(dashboard.substring("Dashboard: ".length())))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(page.statusCode()).isEqualTo(200);

      String first =
          demo.await(
              line ->
                  line.startsWith("reviews |")
                      && processed(line) > 0
                      && !line.contains("accuracy n/a"),
              Duration.ofMinutes(4));
      assertThat(first)
          .matches(
              "reviews \\| in [\\d,]+ \\| processed [\\d,]+ \\| lag [\\d,]+ \\| quarantined 0 \\| accuracy 0\\.\\d{3} of [\\d,]+ \\| top: \\S+, \\S+, \\S+, \\S+, \\S+");
      // The security pipeline streams beside it, with its own figures.
      assertThat(
              demo.await(
                  line -> line.startsWith("security |") && processed(line) > 0,
                  Duration.ofMinutes(2)))
          .matches(
              "security \\| in [\\d,]+ \\| processed [\\d,]+ \\| lag [\\d,]+ \\| quarantined 0 \\| incidents [\\d,]+ open of [\\d,]+ \\| alerts [\\d,]+");
      // So do revenue and calls, from their generators: nothing malformed, nothing quarantined.
      assertThat(
              demo.await(
                  line -> line.startsWith("revenue |") && processed(line) > 0,
                  Duration.ofMinutes(2)))
          .matches(
              "revenue \\| in [\\d,]+ \\| processed [\\d,]+ \\| lag [\\d,]+ \\| quarantined 0( \\| .*)?");
      assertThat(
              demo.await(
                  line -> line.startsWith("calls |") && processed(line) > 0, Duration.ofMinutes(2)))
          .matches(
              "calls \\| in [\\d,]+ \\| processed [\\d,]+ \\| lag [\\d,]+ \\| quarantined 0 \\| calls [\\d,]+ in [\\d,]+ hours \\| unknown codes [\\d,]+");

      ProcessHandle pipeline =
          descendant(demo.process, "dev.sluice.spark.PipelineMain").orElseThrow();
      pipeline.destroyForcibly();
      assertThat(pipeline.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();
      demo.await(
          line -> line.contains("restarting it, its queries resume from their checkpoints"),
          Duration.ofMinutes(1));
      long before =
          demo.lines.stream()
              .filter(line -> line.startsWith("reviews |"))
              .mapToLong(DemoIT::processed)
              .max()
              .orElse(0);
      demo.await(
          line -> line.startsWith("reviews |") && processed(line) > before + 500,
          Duration.ofMinutes(4));

      demo.process.destroy();
      assertThat(demo.process.waitFor(90, TimeUnit.SECONDS))
          .as("the launcher stops within 90 s")
          .isTrue();
      assertThat(demo.process.descendants().filter(ProcessHandle::isAlive)).isEmpty();
      assertThat(Files.exists(home.resolve("infra.env")))
          .as("infra.env is removed on a clean stop")
          .isFalse();
    }
  }

  private static long processed(String line) {
    Matcher m = PROCESSED.matcher(line);
    return m.find() ? Long.parseLong(m.group(1).replace(",", "")) : -1;
  }

  /**
   * Reads /proc itself: ProcessHandle.Info gives up on command lines as long as Spark's classpath.
   */
  private static Optional<ProcessHandle> descendant(Process process, String mainClass) {
    return process.descendants().filter(p -> commandLine(p).contains(mainClass)).findFirst();
  }

  private static String commandLine(ProcessHandle process) {
    try {
      return new String(
          Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
          java.nio.charset.StandardCharsets.UTF_8);
    } catch (java.io.IOException e) {
      return "";
    }
  }
}
