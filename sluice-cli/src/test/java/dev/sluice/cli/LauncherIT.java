package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.EmbeddedPlatform;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The launcher's own answers when a part it starts cannot start. */
class LauncherIT {

  @Test
  void anEmbeddedPlatformThatCannotStartIsReportedWithItsExitCodeAndLog() throws Exception {
    Path home = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "launcher-");
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        LauncherProcess launcher =
            LauncherProcess.start(
                Map.of(
                    "SLUICE_HOME", home.toString(),
                    "SLUICE_EMBEDDED_KAFKA_PORT", Integer.toString(EmbeddedPlatform.freePortPair()),
                    "SLUICE_EMBEDDED_POSTGRES_PORT", Integer.toString(taken.getLocalPort()),
                    "SLUICE_EMBEDDED_REDIS_PORT", Integer.toString(EmbeddedPlatform.freePort())),
                "server")) {
      String error = launcher.await(line -> line.contains("did not start"), Duration.ofSeconds(90));

      // Reported as the exit it was, not as the start timeout ("not ready within 180 s").
      assertThat(error)
          .contains("the embedded platform did not start; see " + home.resolve("logs/infra.log"))
          .endsWith("(exit code 1)");
      assertThat(launcher.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(launcher.process.exitValue()).isNotZero();
      assertThat(Files.readString(home.resolve("logs/infra.log")))
          .contains("port " + taken.getLocalPort() + " (embedded PostgreSQL) is already in use");
    }
  }
}
