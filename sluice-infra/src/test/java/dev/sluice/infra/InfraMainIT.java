package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User errors end the process with a one-line message per problem and no stack trace. */
class InfraMainIT {
  @TempDir Path temp;

  @Test
  void badSettingsExitWith2AndNameEachVariable() throws Exception {
    InfraProcess infra =
        InfraProcess.start(
            Map.of(
                "SLUICE_HOME", temp.resolve("home").toString(),
                "SLUICE_EMBEDDED_KAFKA_PORT", "not-a-port",
                "SLUICE_REVIEWS_PARTITIONS", "0"),
            temp.resolve("stderr.log"));

    assertThat(infra.awaitExit(Duration.ofSeconds(60))).isEqualTo(2);
    assertThat(infra.stderrText().strip().lines())
        .hasSize(2)
        .anySatisfy(line -> assertThat(line).startsWith("SLUICE_EMBEDDED_KAFKA_PORT='not-a-port'"))
        .anySatisfy(line -> assertThat(line).startsWith("SLUICE_REVIEWS_PARTITIONS='0'"));
    assertThat(infra.stdoutLines()).isEmpty();
    assertThat(temp.resolve("home")).doesNotExist();
  }

  @Test
  void aBusyKafkaPortIsNamedWithTheVariableThatMovesIt() throws Exception {
    int kafkaPort = InfraProcess.freePortPair();
    try (ServerSocket busy = new ServerSocket(kafkaPort, 1, InetAddress.getByName("127.0.0.1"))) {
      InfraProcess infra = startWith(kafkaPort, InfraProcess.freePort());
      assertThat(infra.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertOneLineError(infra, "port " + kafkaPort + " ", "SLUICE_EMBEDDED_KAFKA_PORT");
    }
  }

  @Test
  void aBusyControllerPortIsNamedWithTheVariableThatMovesIt() throws Exception {
    int kafkaPort = InfraProcess.freePortPair();
    try (ServerSocket busy =
        new ServerSocket(kafkaPort + 1, 1, InetAddress.getByName("127.0.0.1"))) {
      InfraProcess infra = startWith(kafkaPort, InfraProcess.freePort());
      assertThat(infra.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertOneLineError(infra, "port " + (kafkaPort + 1) + " ", "SLUICE_EMBEDDED_KAFKA_PORT");
    }
  }

  @Test
  void aBusyPostgresPortIsNamedWithTheVariableThatMovesIt() throws Exception {
    int postgresPort = InfraProcess.freePort();
    try (ServerSocket busy =
        new ServerSocket(postgresPort, 1, InetAddress.getByName("127.0.0.1"))) {
      InfraProcess infra = startWith(InfraProcess.freePortPair(), postgresPort);
      assertThat(infra.awaitExit(Duration.ofSeconds(60))).isEqualTo(1);
      assertOneLineError(infra, "port " + postgresPort + " ", "SLUICE_EMBEDDED_POSTGRES_PORT");
    }
  }

  private InfraProcess startWith(int kafkaPort, int postgresPort) throws Exception {
    return InfraProcess.start(
        Map.of(
            "SLUICE_HOME", temp.resolve("home").toString(),
            "SLUICE_EMBEDDED_KAFKA_PORT", Integer.toString(kafkaPort),
            "SLUICE_EMBEDDED_POSTGRES_PORT", Integer.toString(postgresPort)),
        temp.resolve("stderr.log"));
  }

  private static void assertOneLineError(InfraProcess infra, String... fragments) {
    String stderr = infra.stderrText().strip();
    assertThat(stderr.lines()).hasSize(1);
    assertThat(stderr).startsWith("sluice infra: ").contains(fragments).doesNotContain("Exception");
    assertThat(infra.stdoutLines()).isEmpty();
  }
}
