package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kit against the real InfraMain. The kit has no Kafka, JDBC or Redis client, so the servers
 * are checked at the wire: a Kafka ApiVersions request, a PostgreSQL SSLRequest, a Redis PING.
 */
class EmbeddedPlatformIT {
  @Test
  void theSharedPlatformStartsOnceAndServesKafkaAndPostgres() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.shared();

    assertThat(EmbeddedPlatform.shared()).isSameAs(platform);
    assertThat(platform.isRunning()).isTrue();
    assertThat(platform.kafka()).matches("127\\.0\\.0\\.1:\\d+");
    assertThat(platform.dbUrl()).matches("jdbc:postgresql://127\\.0\\.0\\.1:\\d+/sluice");
    assertThat(platform.dbUser()).isEqualTo("sluice");
    assertThat(platform.env())
        .containsEntry("SLUICE_KAFKA", platform.kafka())
        .containsEntry("SLUICE_DB_URL", platform.dbUrl())
        .containsEntry("SLUICE_DB_USER", "sluice")
        .containsEntry("SLUICE_HOME", platform.home().toString());
    assertThat(Files.readAllLines(platform.home().resolve("infra.env")))
        .contains("SLUICE_INFRA_PID=" + platform.pid());

    assertThat(kafkaAnswersApiVersions(platform.kafka())).isTrue();
    assertThat(postgresAnswersSslRequest(dbPort(platform.dbUrl()))).isTrue();
  }

  @Test
  void closeStopsTheInfraProcessFreesItsPortsAndRemovesItsHome() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.start();
    int kafkaPort = Integer.parseInt(platform.kafka().substring(platform.kafka().indexOf(':') + 1));
    int dbPort = dbPort(platform.dbUrl());
    Path home = platform.home();
    assertThat(EmbeddedPlatform.isFree(kafkaPort)).isFalse();

    platform.close();

    assertThat(platform.isRunning()).isFalse();
    assertThat(EmbeddedPlatform.isFree(kafkaPort)).isTrue();
    assertThat(EmbeddedPlatform.isFree(kafkaPort + 1)).isTrue();
    assertThat(EmbeddedPlatform.isFree(dbPort)).as("PostgreSQL stopped too").isTrue();
    assertThat(home).doesNotExist();
  }

  @Test
  void closeStopsPostgresAndRedisEvenWhenTheInfraJvmWasKilled(@TempDir Path home) throws Exception {
    EmbeddedPlatform platform =
        EmbeddedPlatform.start(
            Map.of("SLUICE_HOME", home.toString(), "SLUICE_EMBEDDED_REDIS", "true"));
    long serverPid =
        Long.parseLong(Files.readAllLines(home.resolve("postgres/postmaster.pid")).get(0).strip());
    long redisPid = platform.redisServerPid().orElseThrow();
    ProcessHandle infra = ProcessHandle.of(platform.pid()).orElseThrow();
    infra.destroyForcibly();
    infra.onExit().get(30, TimeUnit.SECONDS);
    assertThat(ProcessHandle.of(serverPid).map(ProcessHandle::isAlive))
        .as("orphaned server")
        .contains(true);
    assertThat(ProcessHandle.of(redisPid).map(ProcessHandle::isAlive))
        .as("orphaned redis-server")
        .contains(true);

    platform.close();

    assertThat(ProcessHandle.of(serverPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(EmbeddedPlatform.isFree(dbPort(platform.dbUrl()))).isTrue();
    assertThat(ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(EmbeddedPlatform.isFree(port(platform.redis()))).isTrue();
  }

  @Test
  void redisStartsOnlyForTheTestThatAsksAndStopsWithThePlatform() throws Exception {
    EmbeddedPlatform platform = EmbeddedPlatform.start();
    assertThat(platform.env()).doesNotContainKey("SLUICE_REDIS");
    assertThat(platform.redisServerPid()).isEmpty();

    String redis = platform.redis();

    assertThat(redis).matches("redis://127\\.0\\.0\\.1:\\d+");
    assertThat(platform.redis()).isEqualTo(redis);
    assertThat(platform.env()).containsEntry("SLUICE_REDIS", redis);
    assertThat(redisAnswersPing(port(redis))).isTrue();
    long redisPid = platform.redisServerPid().orElseThrow();

    platform.close();

    assertThat(ProcessHandle.of(redisPid).filter(ProcessHandle::isAlive)).isEmpty();
    assertThat(EmbeddedPlatform.isFree(port(redis))).isTrue();
    assertThat(platform.home()).doesNotExist();
  }

  private static int port(String redisUrl) {
    return Integer.parseInt(redisUrl.substring(redisUrl.lastIndexOf(':') + 1));
  }

  /** An inline PING, which Redis answers with +PONG. */
  private static boolean redisAnswersPing(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
      byte[] answer = socket.getInputStream().readNBytes(7);
      return new String(answer, StandardCharsets.US_ASCII).equals("+PONG\r\n");
    }
  }

  @Test
  void aFailedStartSaysWhyWithTheEndOfTheInfraStderr(@TempDir Path home) {
    // A failed start keeps its home for a look; this one is JUnit's to delete.
    Map<String, String> settings =
        Map.of("SLUICE_HOME", home.toString(), "SLUICE_REVIEWS_PARTITIONS", "0");
    assertThatThrownBy(() -> EmbeddedPlatform.start(settings))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("exited before it was ready (exit code 2)")
        .hasMessageContaining("SLUICE_REVIEWS_PARTITIONS='0' is not valid");
  }

  @Test
  void portPairsLeaveRoomForTheController() {
    int port = EmbeddedPlatform.freePortPair();
    assertThat(EmbeddedPlatform.isFree(port)).isTrue();
    assertThat(EmbeddedPlatform.isFree(port + 1)).isTrue();
  }

  private static int dbPort(String url) {
    String hostPort = url.substring("jdbc:postgresql://".length(), url.lastIndexOf('/'));
    return Integer.parseInt(hostPort.substring(hostPort.indexOf(':') + 1));
  }

  /** ApiVersions v0: the broker echoes the correlation id and reports no error. */
  private static boolean kafkaAnswersApiVersions(String bootstrap) throws IOException {
    int colon = bootstrap.indexOf(':');
    try (Socket socket = new Socket()) {
      socket.connect(
          new InetSocketAddress(
              bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1))),
          5000);
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(2 + 2 + 4 + 2); // size
      out.writeShort(18); // ApiVersions
      out.writeShort(0); // version
      out.writeInt(4242); // correlation id
      out.writeShort(-1); // null client id
      out.flush();
      DataInputStream in = new DataInputStream(socket.getInputStream());
      int size = in.readInt();
      int correlationId = in.readInt();
      short errorCode = in.readShort();
      return size > 6 && correlationId == 4242 && errorCode == 0;
    }
  }

  /** The SSLRequest preamble: a PostgreSQL server answers one byte, 'N' when TLS is off. */
  private static boolean postgresAnswersSslRequest(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(10_000);
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.writeInt(8);
      out.writeInt(80877103);
      out.flush();
      return socket.getInputStream().read() == 'N';
    }
  }
}
