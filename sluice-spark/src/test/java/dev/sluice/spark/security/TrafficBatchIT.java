package dev.sluice.spark.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.spark.testing.TableRows;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice batch traffic DIR} over an hour of real traffic and a hand-written text capture:
 * every packet counted once (a copy under another name too), the hand-written minutes exactly, the
 * stream's rows untouched, and a second run changes nothing.
 */
class TrafficBatchIT {
  static final Path REAL_CAPTURE =
      Path.of("/usr/lib/python3/dist-packages/pathspider/tests/data/real.pcap");

  /**
   * 62,781 packets, as {@code tcpdump -nn -tttt -r} prints them and {@code ImportIT} counts them.
   */
  static final long REAL_PACKETS = 62_781;

  static final String HAND_WRITTEN =
      """
      2026-11-30 07:52:54.998828 IP 127.0.0.1.57400 > 127.0.0.1.45671: Flags [S], seq 3141829777, win 65495, length 0
      2026-11-30 07:52:55.000001 IP 127.0.0.1.45671 > 127.0.0.1.57400: Flags [S.], seq 1, ack 3141829778, win 65483, length 0
      2026-11-30 07:52:55.000002 IP 127.0.0.1.57400 > 127.0.0.1.45671: Flags [.], ack 1, win 512, length 0
      2026-11-30 07:53:01.500000 IP 127.0.0.1.40000 > 127.0.0.1.53: UDP, length 32
      """;

  @Test
  void countsEveryPacketOnceAndASecondRunChangesNothing() throws Exception {
    assertThat(REAL_CAPTURE).as("apt-get install pathspider").isRegularFile();
    EmbeddedPlatform platform = EmbeddedPlatform.shared();
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "captures-");
    Files.copy(REAL_CAPTURE, dir.resolve("real.pcap"));
    Files.writeString(dir.resolve("lo.txt"), HAND_WRITTEN);
    Files.writeString(dir.resolve("lo-copy.txt"), HAND_WRITTEN);
    Files.writeString(dir.resolve(".being-written.txt"), HAND_WRITTEN.lines().findFirst().get());
    String url =
        platform.dbUrl() + (platform.dbUrl().contains("?") ? "&" : "?") + "currentSchema=batch_it";
    try (Connection connection =
            DriverManager.getConnection(platform.dbUrl(), platform.dbUser(), null);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA IF NOT EXISTS batch_it");
    }
    Map<String, String> env = new HashMap<>(platform.env());
    env.put("SLUICE_DB_URL", url);
    env.put("SLUICE_HOME", dir.resolveSibling(dir.getFileName() + "-home").toString());
    env.put("SLUICE_SPARK_MASTER", "local[2]");
    env.put("SLUICE_SHUFFLE_PARTITIONS", "2");
    SluiceConfig config = SluiceConfig.from(env);

    assertThat(run(dir, config)).isZero();
    String origin = "batch:" + dir.toAbsolutePath().normalize();
    try (Connection tables = DriverManager.getConnection(url, platform.dbUser(), null)) {
      try (Statement statement = tables.createStatement()) {
        statement.execute(
            "INSERT INTO traffic_minutes VALUES ('stream', '2026-11-30 07:52:00+00', 'packets',"
                + " '127.0.0.1', '127.0.0.1', 45671, 'tcp', 9, 9, '2026-11-30 07:52:59+00')");
      }
      assertThat(
              TableRows.count(
                  tables,
                  "SELECT sum(events) FROM traffic_minutes WHERE origin = '" + origin + "'"))
          .isEqualTo(REAL_PACKETS + 4);
      assertThat(
              TableRows.rows(
                  tables,
                  "SELECT to_char(minute AT TIME ZONE 'UTC', 'HH24:MI'), input, source, target,"
                      + " dst_port, proto, events, bytes FROM traffic_minutes WHERE origin = '"
                      + origin
                      + "' AND minute >= '2026-11-30' ORDER BY 1, 5"))
          .containsExactly(
              "07:52 | packets | 127.0.0.1 | 127.0.0.1 | 45671 | tcp | 2 | 0",
              "07:52 | packets | 127.0.0.1 | 127.0.0.1 | 57400 | tcp | 1 | 0",
              "07:53 | packets | 127.0.0.1 | 127.0.0.1 | 53 | udp | 1 | 32");
      List<String> before = all(tables);

      assertThat(run(dir, config)).isZero();
      assertThat(all(tables)).isEqualTo(before);
      assertThat(
              TableRows.rows(tables, "SELECT events FROM traffic_minutes WHERE origin = 'stream'"))
          .containsExactly("9");
    }
  }

  private static int run(Path dir, SluiceConfig config) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int status =
        TrafficBatch.run(
            List.of(dir.toString()), config, new PrintStream(err, true, StandardCharsets.UTF_8));
    System.err.print(err.toString(StandardCharsets.UTF_8));
    return status;
  }

  private static List<String> all(Connection tables) throws Exception {
    return TableRows.rows(
        tables,
        "SELECT origin, minute, input, source, target, dst_port, proto, events, bytes, last_seen"
            + " FROM traffic_minutes ORDER BY origin, minute, input, source, target, dst_port, proto");
  }
}
