package dev.sluice.loadgen.packets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.security.TcpdumpLines;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureFilesTest {
  @TempDir Path dir;

  @Test
  void aCaptureIsToldByItsContentNeverByItsName() throws Exception {
    byte[] pcapMicros = {(byte) 0xd4, (byte) 0xc3, (byte) 0xb2, (byte) 0xa1, 2, 0, 4, 0};
    byte[] pcapNanosBigEndian = {(byte) 0xa1, (byte) 0xb2, 0x3c, 0x4d, 0, 2, 0, 4};
    assertThat(CaptureFiles.kind(Files.write(dir.resolve("a.txt"), pcapMicros)))
        .isEqualTo(CaptureFiles.Kind.PCAP);
    assertThat(CaptureFiles.kind(Files.write(dir.resolve("b"), pcapNanosBigEndian)))
        .isEqualTo(CaptureFiles.Kind.PCAP);
    assertThat(CaptureFiles.kind(Files.write(dir.resolve("c.pcap"), Pcapng.oneUdpDatagram())))
        .isEqualTo(CaptureFiles.Kind.PCAPNG);
    Path text =
        Files.writeString(
            dir.resolve("d.pcap"),
            "reading from file x.pcap, link-type EN10MB (Ethernet)\n"
                + "2026-11-30 07:52:55.044020 IP 127.0.0.1.32881 > 127.0.0.1.45673: UDP, length 16\n");
    assertThat(CaptureFiles.kind(text)).isEqualTo(CaptureFiles.Kind.TEXT);

    assertThatThrownBy(() -> CaptureFiles.kind(Files.writeString(dir.resolve("e.pcap"), "hello\n")))
        .isInstanceOf(CaptureFiles.NotACapture.class)
        .hasMessageContaining("e.pcap: not a capture")
        .satisfies(e -> assertThat(((CaptureFiles.NotACapture) e).missing).isFalse());
    assertThatThrownBy(() -> CaptureFiles.kind(dir.resolve("missing.pcap")))
        .isInstanceOf(CaptureFiles.NotACapture.class)
        .hasMessageEndingWith("missing.pcap: no such file")
        .satisfies(e -> assertThat(((CaptureFiles.NotACapture) e).missing).isTrue());
    assertThatThrownBy(() -> CaptureFiles.kind(dir)).hasMessageEndingWith(": not a regular file");
  }

  @Test
  void theContentHashIsTheSameForTheSameBytesUnderAnyName() throws Exception {
    Path a = Files.writeString(dir.resolve("a"), "same bytes");
    Path b = Files.writeString(dir.resolve("b"), "same bytes");
    Path c = Files.writeString(dir.resolve("c"), "other bytes");
    assertThat(CaptureFiles.contentHash(a)).hasSize(32).isEqualTo(CaptureFiles.contentHash(b));
    assertThat(CaptureFiles.contentHash(c)).isNotEqualTo(CaptureFiles.contentHash(a));
  }

  @Test
  void linesAreBoundedAndEndWithLfOrCrLf() throws Exception {
    String longLine = "x".repeat(TcpdumpLines.MAX_LINE_CHARS * 3);
    BoundedLines lines =
        new BoundedLines(
            new ByteArrayInputStream(
                ("one\r\ntwo\n" + longLine + "\nlast").getBytes(StandardCharsets.UTF_8)),
            StandardCharsets.UTF_8);
    List<String> read = new ArrayList<>();
    for (String line = lines.next(); line != null; line = lines.next()) {
      read.add(line);
    }
    assertThat(read).hasSize(4);
    assertThat(read.subList(0, 2)).containsExactly("one", "two");
    assertThat(read.get(2)).hasSize(TcpdumpLines.MAX_LINE_CHARS + 1);
    assertThat(read.get(3)).isEqualTo("last");
  }

  @Test
  void aFilterIsWordsOfBpfAndNeverAnOption() {
    List<String> problems = new ArrayList<>();
    assertThat(Tcpdump.filterWords(" tcp port 80 or (udp and dst host ::1) ", problems))
        .containsExactly("tcp", "port", "80", "or", "(udp", "and", "dst", "host", "::1)");
    assertThat(problems).isEmpty();
    assertThat(Tcpdump.filterWords("tcp -w /tmp/x", problems)).isEmpty();
    assertThat(Tcpdump.filterWords("tcp; rm -rf /", problems)).isEmpty();
    assertThat(Tcpdump.filterWords("port `id`", problems)).isEmpty();
    assertThat(problems).hasSize(3).allMatch(p -> p.startsWith("--filter word '"));
    assertThat(Tcpdump.interfaceProblem("lo")).isEmpty();
    assertThat(Tcpdump.interfaceProblem("eth0.100")).isEmpty();
    assertThat(Tcpdump.interfaceProblem("-w")).isPresent();
    assertThat(Tcpdump.interfaceProblem("a-very-long-interface")).isPresent();
    assertThat(Tcpdump.interfaceProblem("lo;id")).isPresent();
  }
}
