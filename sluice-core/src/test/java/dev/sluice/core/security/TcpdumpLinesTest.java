package dev.sluice.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.records.StorableText;
import dev.sluice.core.security.Packet.Protocol;
import dev.sluice.core.security.TcpdumpLines.Outcome;
import dev.sluice.core.security.TcpdumpLines.Skip;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parser over real tcpdump 4.99.3 output, kept under {@code src/test/resources} (see the README
 * there for how each file was captured), and over lines broken on purpose.
 */
class TcpdumpLinesTest {
  private static final ZoneId UTC = ZoneOffset.UTC;

  private static List<String> resource(String name) throws IOException {
    try (InputStream in = TcpdumpLinesTest.class.getResourceAsStream(name)) {
      assertThat(in).as("test resource %s", name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
  }

  private static List<Packet> packets(List<Outcome> outcomes) {
    return outcomes.stream().filter(Outcome::ok).map(Outcome::packet).toList();
  }

  private static Packet one(String line) {
    List<Outcome> outcomes = TcpdumpLines.readAll(List.of(line), UTC, "t");
    assertThat(outcomes).hasSize(1);
    assertThat(outcomes.get(0).detail()).as("skip detail for %s", line).isNull();
    return outcomes.get(0).packet();
  }

  private static Outcome skipped(String line) {
    List<Outcome> outcomes = TcpdumpLines.readAll(List.of(line), UTC, "t");
    assertThat(outcomes).hasSize(1);
    Outcome outcome = outcomes.get(0);
    assertThat(outcome.ok()).as("parsed %s", line).isFalse();
    assertThat(outcome.detail()).isNotBlank();
    assertThat(StorableText.storable(outcome.detail())).isTrue();
    return outcome;
  }

  @Test
  void readsATcpHandshakeOnLoopbackWithFlagsPortsAndPayloadLength() throws IOException {
    List<Outcome> outcomes = TcpdumpLines.readAll(resource("lo.txt"), UTC, "f-lo");
    List<Packet> packets = packets(outcomes);

    // tcpdump ends its output with an empty line when interrupted.
    assertThat(outcomes)
        .filteredOn(o -> !o.ok())
        .extracting(Outcome::skip)
        .containsExactly(Skip.BLANK);
    assertThat(packets).hasSize(30);
    assertThat(packets.get(0))
        .isEqualTo(
            new Packet(
                "f-lo-1",
                1_796_025_174_998L,
                "2026-11-30 07:52:54.998828",
                Protocol.TCP,
                "127.0.0.1",
                "127.0.0.1",
                57400,
                45671,
                "[S]",
                0));
    assertThat(packets.subList(0, 10))
        .extracting(Packet::flags)
        .containsExactly("[S]", "[S.]", "[.]", "[P.]", "[.]", "[P.]", "[.]", "[F.]", "[F.]", "[.]");
    assertThat(packets.get(3).length()).isEqualTo(6);
    assertThat(packets.get(5).length()).isEqualTo(11);
    assertThat(packets.get(1).hasFlag('S')).isTrue();
    assertThat(packets.get(1).hasFlag('.')).isTrue();
    assertThat(packets.get(0).hasFlag('.')).isFalse();
    assertThat(packets.get(29).flags()).isEqualTo("[R.]");
    assertThat(packets).extracting(Packet::id).doesNotHaveDuplicates().endsWith("f-lo-30");
  }

  @Test
  void readsIpv6UdpIcmpAndIcmp6() throws IOException {
    List<Packet> packets = packets(TcpdumpLines.readAll(resource("lo.txt"), UTC, "f-lo"));

    Packet v6Syn = packets.get(10);
    assertThat(v6Syn.src()).isEqualTo("::1");
    assertThat(v6Syn.dst()).isEqualTo("::1");
    assertThat(v6Syn.srcPort()).isEqualTo(38932);
    assertThat(v6Syn.dstPort()).isEqualTo(45672);
    assertThat(v6Syn.flags()).isEqualTo("[S]");

    assertThat(packets.subList(20, 28))
        .extracting(Packet::protocol, Packet::dstPort, Packet::length)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(Protocol.UDP, 45673, 16),
            org.assertj.core.groups.Tuple.tuple(Protocol.ICMP, null, 52),
            org.assertj.core.groups.Tuple.tuple(Protocol.UDP, 45674, 16),
            org.assertj.core.groups.Tuple.tuple(Protocol.ICMP6, null, 72),
            org.assertj.core.groups.Tuple.tuple(Protocol.ICMP, null, 16),
            org.assertj.core.groups.Tuple.tuple(Protocol.ICMP, null, 16),
            org.assertj.core.groups.Tuple.tuple(Protocol.ICMP6, null, 16),
            org.assertj.core.groups.Tuple.tuple(Protocol.ICMP6, null, 16));
    assertThat(packets.get(22).src()).isEqualTo("::1");
    assertThat(packets.get(20).srcPort()).isEqualTo(32881);
    assertThat(packets.get(20).flags()).isNull();
  }

  @Test
  void quietOutputHasNoFlagsButTheSameAddressesPortsAndLengths() throws IOException {
    List<Outcome> outcomes = TcpdumpLines.readAll(resource("lo-q.txt"), UTC, "f-q");
    List<Packet> packets = packets(outcomes);

    assertThat(outcomes)
        .filteredOn(o -> !o.ok())
        .extracting(Outcome::skip)
        .containsExactly(Skip.BLANK);
    assertThat(packets).hasSize(30);
    assertThat(packets.subList(0, 20))
        .allMatch(p -> p.protocol() == Protocol.TCP && p.flags() == null);
    assertThat(packets.get(3).length()).isEqualTo(6);
    assertThat(packets.get(5))
        .extracting(Packet::src, Packet::srcPort, Packet::dst, Packet::dstPort, Packet::length)
        .containsExactly("127.0.0.1", 45671, "127.0.0.1", 57412, 11);
    assertThat(packets.get(13).src()).isEqualTo("::1");
    assertThat(packets.subList(20, 28))
        .extracting(Packet::protocol)
        .containsExactly(
            Protocol.UDP,
            Protocol.ICMP,
            Protocol.UDP,
            Protocol.ICMP6,
            Protocol.ICMP,
            Protocol.ICMP,
            Protocol.ICMP6,
            Protocol.ICMP6);
  }

  @Test
  void verboseOutputGivesTheIpLengthAndSkipsTheQuotedPacketOfAnIcmpError() throws IOException {
    TcpdumpLines reader = new TcpdumpLines(UTC, "f-v");
    List<Outcome> outcomes = new java.util.ArrayList<>();
    resource("lo-v.txt").forEach(line -> outcomes.addAll(reader.accept(line)));
    outcomes.addAll(reader.finish());
    List<Packet> packets = packets(outcomes);

    assertThat(packets).hasSize(30);
    // IPv4 -v: the header's "length 60" is the whole IP packet (20 + 40 of TCP with options).
    assertThat(packets.get(0))
        .extracting(
            Packet::protocol, Packet::srcPort, Packet::dstPort, Packet::flags, Packet::length)
        .containsExactly(Protocol.TCP, 50596, 45671, "[S]", 60);
    assertThat(packets.get(3).length()).isEqualTo(58);
    // IPv6 -v: "payload length: 40" plus the 40-byte IPv6 header.
    assertThat(packets.get(10))
        .extracting(Packet::src, Packet::flags, Packet::length)
        .containsExactly("::1", "[S]", 80);
    assertThat(packets.get(20))
        .extracting(Packet::protocol, Packet::length)
        .containsExactly(Protocol.UDP, 44);
    assertThat(packets.get(21))
        .extracting(Packet::protocol, Packet::length)
        .containsExactly(Protocol.ICMP, 72);
    // "[bad udp cksum ...!]" before "UDP" does not hide the protocol.
    assertThat(packets.get(22))
        .extracting(Packet::protocol, Packet::length)
        .containsExactly(Protocol.UDP, 64);
    assertThat(packets.get(23).protocol()).isEqualTo(Protocol.ICMP6);
    assertThat(packets.get(29).flags()).isEqualTo("[R.]");
    // The ICMP error quotes the UDP packet it answers on two indented lines: not packets.
    assertThat(reader.skipped()).isEqualTo(Map.of(Skip.CONTINUATION, 2L, Skip.BLANK, 1L));
    assertThat(reader.packets()).isEqualTo(30);
  }

  @Test
  void readsArpDnsIgmpAndOtherLinesOfTheRealPathspiderCapture() throws IOException {
    List<Outcome> outcomes = TcpdumpLines.readAll(resource("real-pcap-sample.txt"), UTC, "f-r");
    List<Packet> packets = packets(outcomes);

    assertThat(outcomes).allMatch(Outcome::ok);
    assertThat(packets.get(0))
        .isEqualTo(
            new Packet(
                "f-r-1",
                1_353_690_051_183L,
                "2012-11-23 17:00:51.183209",
                Protocol.ARP,
                "10.64.94.1",
                "10.64.94.151",
                null,
                null,
                null,
                28));
    assertThat(packets.get(3))
        .extracting(Packet::protocol, Packet::src, Packet::dst, Packet::length)
        .containsExactly(Protocol.ARP, "10.64.94.151", null, 46);
    // DNS: no "UDP" on the line, ports say it is UDP, "(94)" is its length.
    assertThat(packets.get(5))
        .extracting(Packet::protocol, Packet::srcPort, Packet::dstPort, Packet::length)
        .containsExactly(Protocol.UDP, 53, 2802, 94);
    assertThat(packets.get(9))
        .extracting(Packet::protocol, Packet::dst, Packet::length)
        .containsExactly(Protocol.OTHER, "224.0.0.1", null);
    assertThat(packets.get(11))
        .extracting(Packet::protocol, Packet::length)
        .containsExactly(Protocol.UDP, 199);
    assertThat(packets.get(13).dstPort()).isEqualTo(123);
    assertThat(packets.get(14))
        .extracting(Packet::protocol, Packet::length)
        .containsExactly(Protocol.ICMP, 84);
    assertThat(packets.get(15))
        .extracting(Packet::src, Packet::srcPort, Packet::dst, Packet::dstPort, Packet::flags)
        .containsExactly(
            "2001:630:241:20f:c2ea:e939:f310:9c32", 39956, "2a00:1450:4009:810::200e", 80, "[S]");
  }

  @Test
  void bannerAndGarbageOfARandomCaptureAreSkippedAndCountedByReason() throws IOException {
    TcpdumpLines reader = new TcpdumpLines(UTC, "f-x");
    for (String line : resource("banner.txt")) {
      reader.accept(line);
    }
    for (String line : resource("random-pcap.txt")) {
      reader.accept(line);
    }
    reader.accept("");
    reader.accept("\u0000\u00ff garbage \ud800");
    reader.finish();

    assertThat(reader.packets()).isZero();
    assertThat(reader.skipped())
        .isEqualTo(
            Map.of(
                Skip.BANNER, 5L,
                Skip.UNSUPPORTED, 5L,
                Skip.MALFORMED, 1L,
                Skip.BLANK, 1L,
                Skip.NOT_A_PACKET, 1L));
    assertThat(reader.skippedTotal()).isEqualTo(13);
  }

  @Test
  void truncatedLinesAreSkippedWithAPreciseReason() {
    String full =
        "2026-11-30 07:52:54.998828 IP 127.0.0.1.57400 > 127.0.0.1.45671: Flags [S], seq 3141829777, win 65495, length 0";
    assertThat(one(full).flags()).isEqualTo("[S]");
    assertThat(skipped(full.substring(0, 15)).detail())
        .contains("expected a tcpdump -tttt timestamp");
    assertThat(skipped(full.substring(0, 26)).detail())
        .contains("expected the packet after the timestamp");
    assertThat(skipped(full.substring(0, 28)).skip()).isEqualTo(Skip.UNSUPPORTED);
    assertThat(skipped(full.substring(0, 30)).detail())
        .startsWith("expected 'SOURCE > DESTINATION: '");
    assertThat(skipped(full.substring(0, 45)).detail())
        .contains("expected 'SOURCE > DESTINATION: '");
    assertThat(skipped(full.substring(0, 60)).detail())
        .startsWith("expected ': ' after the destination address");
    assertThat(skipped(full.substring(0, 65)).detail()).contains("nothing after the addresses");
    assertThat(skipped(full.substring(0, 70)).detail()).contains("expected TCP flags like [S.]");
    assertThat(skipped(full.substring(0, 73)).detail()).contains("expected TCP flags like [S.]");
    assertThat(skipped(full.substring(0, 57) + ": Flags [S]").detail())
        .startsWith("only one of source and destination has a port");
    // A -v header whose address line never comes.
    List<Outcome> outcomes =
        TcpdumpLines.readAll(
            List.of(
                "2026-11-30 07:53:02.618061 IP (tos 0x0, ttl 64, id 4267, offset 0, flags [DF], proto TCP (6), length 60)"),
            UTC,
            "t");
    assertThat(outcomes).singleElement().extracting(Outcome::skip).isEqualTo(Skip.MALFORMED);
    assertThat(outcomes.get(0).detail()).startsWith("the input ends after an IP header line of -v");
  }

  @Test
  void addressesMustBeLiteralsAndPortsInRange() {
    assertThat(
            skipped("2026-11-30 07:52:54.998828 IP 127.0.0.256.1 > 127.0.0.1.2: UDP, length 1")
                .detail())
        .startsWith("source is no IPv4 address");
    assertThat(
            skipped("2026-11-30 07:52:54.998828 IP example.com.80 > 127.0.0.1.2: UDP, length 1")
                .detail())
        .startsWith("source is no IPv4 address");
    assertThat(
            skipped("2026-11-30 07:52:54.998828 IP 127.0.0.1.65536 > 127.0.0.1.2: UDP, length 1")
                .detail())
        .startsWith("source port '65536' is no number from 0 to 65535");
    assertThat(skipped("2026-11-30 07:52:54.998828 IP6 ::g.1 > ::1.2: UDP, length 1").detail())
        .startsWith("source is no IPv6 address");
    assertThat(
            skipped("2026-11-30 07:52:54.998828 IP6 localhost.1 > ::1.2: UDP, length 1").detail())
        .startsWith("source is no IPv6 address");
    assertThat(
            skipped("2026-13-30 07:52:54.998828 IP 1.2.3.4 > 1.2.3.5: ICMP echo request").detail())
        .contains("is no valid date and time");
    // Found by TcpdumpLinesFuzzTest: a garbled year gave an epoch time the codec refuses.
    assertThat(
            skipped("0673-11-30 07:52:58.888802 IP 127.0.0.1.57412 > 127.0.0.1.45671: tcp 6")
                .detail())
        .contains("is before 1970-01-01 00:00:00 UTC");
    assertThat(
            one(
                "2026-11-30 07:52:54.998828 IP6 ::ffff:10.0.0.1.443 > ::ffff:10.0.0.2.5000: UDP, length 1"))
        .extracting(Packet::src, Packet::srcPort, Packet::dst, Packet::dstPort)
        .containsExactly("::ffff:10.0.0.1", 443, "::ffff:10.0.0.2", 5000);
    assertThat(
            one(
                "2026-11-30 07:52:54.998828 IP6 ::ffff:10.0.0.1 > ::1: ICMP6, echo request, id 1, seq 1, length 16"))
        .extracting(Packet::src, Packet::srcPort)
        .containsExactly("::ffff:10.0.0.1", null);
  }

  @Test
  void timestampsAreReadInTheGivenZoneAndKeptAsPrinted() {
    String line =
        "2026-11-30 08:00:00.5 IP 1.2.3.4 > 1.2.3.5: ICMP echo request, id 1, seq 1, length 64";
    Packet utc = TcpdumpLines.readAll(List.of(line), UTC, "t").get(0).packet();
    Packet berlin =
        TcpdumpLines.readAll(List.of(line), ZoneId.of("Europe/Berlin"), "t").get(0).packet();

    assertThat(utc.ts()).isEqualTo(1_796_025_600_500L);
    assertThat(berlin.ts()).isEqualTo(utc.ts() - 3_600_000L);
    assertThat(berlin.time()).isEqualTo("2026-11-30 08:00:00.5");
  }

  @Test
  void anOverlongLineIsSkippedWithoutBeingQuotedWhole() {
    Outcome outcome = skipped("x".repeat(TcpdumpLines.MAX_LINE_CHARS + 1));
    assertThat(outcome.skip()).isEqualTo(Skip.TOO_LONG);
    assertThat(outcome.detail()).hasSizeLessThan(200);
  }

  @Test
  void idsDependOnlyOnThePrefixAndTheOrdinal() throws IOException {
    List<String> lines = resource("lo.txt");
    assertThat(packets(TcpdumpLines.readAll(lines, UTC, "f-a")))
        .isEqualTo(packets(TcpdumpLines.readAll(lines, UTC, "f-a")));
    assertThat(packets(TcpdumpLines.readAll(lines, UTC, "f-b")).get(4).id()).isEqualTo("f-b-5");
  }

  @Test
  void plainQuietAndVerboseOutputOfTheSameCaptureGiveTheSamePackets() throws IOException {
    List<Packet> plain = packets(TcpdumpLines.readAll(resource("pathspider-plain.txt"), UTC, "f"));
    List<Packet> quiet = packets(TcpdumpLines.readAll(resource("pathspider-q.txt"), UTC, "f"));
    TcpdumpLines verboseReader = new TcpdumpLines(UTC, "f");
    List<Outcome> verboseOutcomes = new java.util.ArrayList<>();
    resource("pathspider-v.txt")
        .forEach(line -> verboseOutcomes.addAll(verboseReader.accept(line)));
    verboseOutcomes.addAll(verboseReader.finish());
    List<Packet> verbose = packets(verboseOutcomes);

    assertThat(plain).hasSize(78);
    assertThat(quiet).hasSize(78);
    assertThat(verbose).hasSize(78);
    assertThat(verboseReader.skipped()).containsOnlyKeys(Skip.CONTINUATION, Skip.BLANK);
    assertThat(plain)
        .extracting(Packet::protocol)
        .containsOnly(
            Protocol.TCP, Protocol.UDP, Protocol.ICMP, Protocol.ICMP6, Protocol.ARP, Protocol.OTHER)
        .contains(
            Protocol.TCP,
            Protocol.UDP,
            Protocol.ICMP,
            Protocol.ICMP6,
            Protocol.ARP,
            Protocol.OTHER);
    for (int i = 0; i < plain.size(); i++) {
      Packet p = plain.get(i);
      Packet q = quiet.get(i);
      Packet v = verbose.get(i);
      // Everything but the length (-v: the IP packet's) and the flags (-q: none) agrees.
      assertThat(
              List.of(
                  q.id(),
                  q.ts(),
                  q.time(),
                  q.protocol(),
                  q.src(),
                  String.valueOf(q.dst()),
                  String.valueOf(q.srcPort()),
                  String.valueOf(q.dstPort())))
          .as("-q packet %d", i + 1)
          .isEqualTo(
              List.of(
                  p.id(),
                  p.ts(),
                  p.time(),
                  p.protocol(),
                  p.src(),
                  String.valueOf(p.dst()),
                  String.valueOf(p.srcPort()),
                  String.valueOf(p.dstPort())));
      assertThat(
              new Packet(
                  v.id(),
                  v.ts(),
                  v.time(),
                  v.protocol(),
                  v.src(),
                  v.dst(),
                  v.srcPort(),
                  v.dstPort(),
                  v.flags(),
                  p.length()))
          .as("-v packet %d", i + 1)
          .isEqualTo(p);
      if (p.protocol() == Protocol.TCP) {
        assertThat(v.length())
            .as("-v TCP packet %d: IP length over payload", i + 1)
            .isGreaterThan(p.length());
      }
    }
  }
}
