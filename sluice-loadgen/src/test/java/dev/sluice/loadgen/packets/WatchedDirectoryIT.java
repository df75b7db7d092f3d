package dev.sluice.loadgen.packets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.security.Packet;
import dev.sluice.testkit.EmbeddedPlatform;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ./sluice import --watch DIR}: a capture moved into the directory is imported once, and a
 * restart, which reads the journal in {@code $SLUICE_HOME}, does not import it again.
 */
class WatchedDirectoryIT {
  private static EmbeddedPlatform platform;

  @TempDir Path home;
  @TempDir Path watched;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.shared();
  }

  private PacketsChild watch(String topic, int seconds) throws Exception {
    return PacketsChild.start(
        platform,
        ImportMain.class.getName(),
        List.of(
            "--watch",
            watched.toString(),
            "--duration",
            Integer.toString(seconds),
            "--topic",
            topic),
        Map.of("SLUICE_HOME", home.toString()));
  }

  @Test
  void aFileMovedInIsImportedOnceAndARestartDoesNotImportItAgain() throws Exception {
    Path pcap = ImportIT.realPcap();
    int expected = ImportIT.expected(pcap, ImportIT.tcpdumpText(pcap)).size();
    String topic = "watch-" + UUID.randomUUID();

    // Step 1: a watch; the capture is written as a dot-file, which is never read, then moved in.
    PacketsChild first = watch(topic, 60);
    first.awaitStderr("import: watching " + watched, Duration.ofSeconds(60));
    Path partial = watched.resolve(".real.pcap.part");
    Files.copy(pcap, partial);
    Files.writeString(watched.resolve("notes.txt"), "not a capture\n");
    Files.move(partial, watched.resolve("real.pcap"), StandardCopyOption.ATOMIC_MOVE);
    first.awaitStderr(
        "real.pcap: " + String.format(java.util.Locale.ROOT, "%,d", expected) + " packets sent",
        Duration.ofSeconds(120));
    first.awaitStderr("notes.txt: not a capture", Duration.ofSeconds(30));
    first.terminate();
    first.waitFor();
    assertThat(first.stderr())
        .contains("sent " + String.format(java.util.Locale.ROOT, "%,d", expected) + " packets")
        .doesNotContain(".real.pcap.part:");
    assertThat(Files.readAllLines(home.resolve("packets").resolve("imported")))
        .hasSize(2)
        .anyMatch(line -> line.endsWith(" imported real.pcap"))
        .anyMatch(line -> line.endsWith(" rejected notes.txt"));

    // Step 2: a restart with the same file, and a copy of it under another name, imports nothing.
    Files.copy(pcap, watched.resolve("same-content.pcap"));
    PacketsChild second = watch(topic, 5);
    assertThat(second.waitFor()).as(second.stderr()).isZero();
    assertThat(second.stderr())
        .contains("(2 imported before, see ")
        .contains("import: sent 0 packets from 0 files of " + watched)
        .doesNotContain("not a capture");

    // Step 3: the topic holds the file's packets once.
    List<Packet> packets =
        PacketsChild.decode(PacketsChild.consume(platform, topic, r -> r.size() >= expected));
    assertThat(packets).hasSize(expected);
    assertThat(packets.stream().map(Packet::id).distinct().count()).isEqualTo(expected);
  }
}
