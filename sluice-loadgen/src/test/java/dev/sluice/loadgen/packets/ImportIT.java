package dev.sluice.loadgen.packets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.security.Packet;
import dev.sluice.core.security.TcpdumpLines;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice import} against the embedded Kafka: the records in the topic are the parse of the
 * same file, and a second import sends the same ids.
 */
class ImportIT {
  /** One real hour of traffic (Debian package pathspider). */
  static final Path REAL_PCAP =
      Path.of("/usr/lib/python3/dist-packages/pathspider/tests/data/real.pcap");

  private static EmbeddedPlatform platform;

  @TempDir Path dir;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.shared();
  }

  static Path realPcap() {
    assertThat(REAL_PCAP)
        .as("pathspider's real capture; install it with: apt-get install pathspider")
        .isRegularFile();
    assertThat(Path.of("/usr/bin/tcpdump"))
        .as("tcpdump; install it with: apt-get install tcpdump")
        .isExecutable();
    return REAL_PCAP;
  }

  private static PacketsChild importing(List<String> args) throws IOException {
    return PacketsChild.start(platform, ImportMain.class.getName(), args, Map.of());
  }

  /** What the parser makes of the file, read here independently of the import's own code. */
  static List<Packet> expected(Path file, List<String> lines) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    String prefix = "f-" + HexFormat.of().formatHex(sha256.digest(Files.readAllBytes(file)), 0, 16);
    return TcpdumpLines.readAll(lines, ZoneOffset.UTC, prefix).stream()
        .filter(TcpdumpLines.Outcome::ok)
        .map(TcpdumpLines.Outcome::packet)
        .toList();
  }

  static List<String> tcpdumpText(Path pcap) throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("/usr/bin/tcpdump", "-nn", "-tttt", "-r", pcap.toString())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().put("TZ", "UTC0");
    Process process = builder.start();
    List<String> lines;
    try (InputStream out = process.getInputStream()) {
      lines = new String(out.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).isZero();
    return lines;
  }

  @Test
  void thePathspiderPcapArrivesAsItsParseAndASecondImportSendsTheSameIds() throws Exception {
    Path pcap = realPcap();
    String topic = "packets-" + UUID.randomUUID();
    List<Packet> expected = expected(pcap, tcpdumpText(pcap));
    assertThat(expected).hasSizeGreaterThan(60_000);

    // Step 1: import.
    PacketsChild first = importing(List.of(pcap.toString(), "--topic", topic));
    assertThat(first.waitFor()).as(first.stderr()).isZero();
    assertThat(first.stderr())
        .contains(
            "import: sent "
                + String.format(java.util.Locale.ROOT, "%,d", expected.size())
                + " packets from 1 file to topic '"
                + topic
                + "'")
        .contains(", 0 failed, 0 lines skipped");

    // Step 2: the topic holds exactly the parse of the same file.
    List<Packet> sent =
        PacketsChild.decode(
            PacketsChild.consume(platform, topic, r -> r.size() >= expected.size()));
    assertThat(sent).hasSize(expected.size());
    Map<String, Packet> byId =
        sent.stream().collect(Collectors.toMap(Packet::id, Function.identity()));
    assertThat(byId).hasSize(expected.size());
    for (int i = 0; i < expected.size(); i += 997) {
      assertThat(byId.get(expected.get(i).id())).isEqualTo(expected.get(i));
    }
    assertThat(sent)
        .extracting(Packet::protocol)
        .contains(
            Packet.Protocol.ARP, Packet.Protocol.UDP, Packet.Protocol.ICMP, Packet.Protocol.TCP);

    // Step 3: importing again sends the same ids, so deduplication by id drops them all.
    PacketsChild second = importing(List.of(pcap.toString(), "--topic", topic));
    assertThat(second.waitFor()).as(second.stderr()).isZero();
    List<Packet> both =
        PacketsChild.decode(
            PacketsChild.consume(platform, topic, r -> r.size() >= 2 * expected.size()));
    assertThat(both).hasSize(2 * expected.size());
    assertThat(both.stream().map(Packet::id).distinct().count()).isEqualTo(expected.size());
  }

  @Test
  void aSavedVerboseTextCaptureArrivesAsItsParseWithSkippedLinesCounted() throws Exception {
    Path text = dir.resolve("lo-v.txt");
    try (InputStream in = ImportIT.class.getResourceAsStream("lo-v.txt")) {
      Files.copy(in, text);
    }
    String topic = "packets-" + UUID.randomUUID();
    List<Packet> expected = expected(text, Files.readAllLines(text));

    PacketsChild child = importing(List.of(text.toString(), "--topic", topic));
    assertThat(child.waitFor()).as(child.stderr()).isZero();
    assertThat(child.stderr())
        .contains("import: " + text + ": text, ")
        .contains("sent 30 packets from 1 file to topic '" + topic + "'")
        .contains("0 failed, 3 lines skipped (blank 1, continuation 2)");
    List<Packet> sent =
        PacketsChild.decode(PacketsChild.consume(platform, topic, r -> r.size() >= 30));
    assertThat(sent).containsExactlyInAnyOrderElementsOf(expected);
    assertThat(sent)
        .filteredOn(p -> p.protocol() == Packet.Protocol.TCP)
        .allMatch(p -> p.flags() != null);
  }

  @Test
  void aMissingFileOrOneThatIsNoCaptureSendsNothingAndSaysWhy() throws Exception {
    Path notes = Files.writeString(dir.resolve("notes.pcap"), "just some notes\nnot a capture\n");
    Path good = realPcap();

    PacketsChild missing = importing(List.of(good.toString(), dir.resolve("nope.pcap").toString()));
    assertThat(missing.waitFor()).isEqualTo(ImportMain.EXIT_NO_FILE);
    assertThat(missing.stderr())
        .contains("sluice import: " + dir.resolve("nope.pcap") + ": no such file");

    PacketsChild wrong = importing(List.of(notes.toString()));
    assertThat(wrong.waitFor()).isEqualTo(ImportMain.EXIT_NOT_A_CAPTURE);
    assertThat(wrong.stderr())
        .contains(
            notes
                + ": not a capture: no pcap or pcapng magic bytes and no tcpdump -nn -tttt packet line");
    assertThat(missing.stderr() + wrong.stderr())
        .doesNotContain("packets sent")
        .doesNotContain("import: sent");

    PacketsChild usage = importing(List.of());
    assertThat(usage.waitFor()).isEqualTo(ImportMain.EXIT_USAGE);
    assertThat(usage.stderr()).contains("expected the capture files to import, or --watch DIR");
  }

  @Test
  void aPcapngFileIsReadThroughTcpdump() throws Exception {
    realPcap();
    Path pcapng = Files.write(dir.resolve("one.capture"), Pcapng.oneUdpDatagram());
    String topic = "packets-" + UUID.randomUUID();

    PacketsChild child = importing(List.of(pcapng.toString(), "--topic", topic));
    assertThat(child.waitFor()).as(child.stderr()).isZero();
    assertThat(child.stderr())
        .contains("import: " + pcapng + ": pcapng, ")
        .contains("sent 1 packets from 1 file");
    List<Packet> sent =
        PacketsChild.decode(PacketsChild.consume(platform, topic, r -> r.size() >= 1));
    assertThat(sent)
        .singleElement()
        .isEqualTo(
            new Packet(
                expected(
                        pcapng,
                        List.of(
                            "2026-11-30 08:00:00.000000 IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 4"))
                    .get(0)
                    .id(),
                Pcapng.MICROS / 1000,
                "2026-11-30 08:00:00.000000",
                Packet.Protocol.UDP,
                "10.0.0.1",
                "10.0.0.2",
                40000,
                9999,
                null,
                4));
  }
}
