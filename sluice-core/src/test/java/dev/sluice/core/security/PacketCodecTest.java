package dev.sluice.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.security.Packet.Protocol;
import dev.sluice.core.security.PacketCodec.Decoded;
import org.junit.jupiter.api.Test;

class PacketCodecTest {
  private static final Packet SYN =
      new Packet(
          "f-ab12-1",
          1_796_025_174_998L,
          "2026-11-30 07:52:54.998828",
          Protocol.TCP,
          "127.0.0.1",
          "::1",
          57400,
          45671,
          "[S]",
          60);

  private static String rejected(String json) {
    Decoded decoded = PacketCodec.decode(json);
    assertThat(decoded.ok()).as("decoded %s", json).isFalse();
    return decoded.reason();
  }

  @Test
  void encodesOnlyTheFieldsThatAreSetAndDecodesThemBack() {
    String json = new String(PacketCodec.encode(SYN), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(json)
        .isEqualTo(
            "{\"id\":\"f-ab12-1\",\"ts\":1796025174998,\"time\":\"2026-11-30 07:52:54.998828\","
                + "\"proto\":\"tcp\",\"src\":\"127.0.0.1\",\"dst\":\"::1\",\"src_port\":57400,"
                + "\"dst_port\":45671,\"flags\":\"[S]\",\"length\":60}");
    assertThat(PacketCodec.decode(json)).isEqualTo(new Decoded(SYN, null));
    Packet arpReply =
        new Packet(
            "f-1",
            0,
            "1970-01-01 00:00:00",
            Protocol.ARP,
            "10.0.0.1",
            null,
            null,
            null,
            null,
            null);
    assertThat(new String(PacketCodec.encode(arpReply), java.nio.charset.StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"id\":\"f-1\",\"ts\":0,\"time\":\"1970-01-01 00:00:00\",\"proto\":\"arp\",\"src\":\"10.0.0.1\"}");
    assertThat(PacketCodec.decode(PacketCodec.encode(arpReply)))
        .isEqualTo(new Decoded(arpReply, null));
  }

  @Test
  void rejectsEachBadFieldWithWhatWasExpectedAndWhatCame() {
    String base = "\"id\":\"a\",\"ts\":1,\"time\":\"t\",";
    assertThat(rejected("{\"ts\":1}")).isEqualTo("id must be a string, got nothing");
    assertThat(rejected("{" + base + "\"proto\":\"tcpx\",\"src\":\"1.2.3.4\",\"dst\":\"1.2.3.5\"}"))
        .isEqualTo("proto must be one of tcp, udp, icmp, icmp6, arp, other, got a string \"tcpx\"");
    assertThat(
            rejected("{" + base + "\"proto\":\"icmp\",\"src\":\"localhost\",\"dst\":\"1.2.3.5\"}"))
        .isEqualTo("src must be an IPv4 or IPv6 address literal, got a string \"localhost\"");
    assertThat(rejected("{" + base + "\"proto\":\"icmp\",\"src\":\"1.2.3.4\"}"))
        .isEqualTo("dst is missing (only an ARP reply has none)");
    assertThat(
            rejected(
                "{"
                    + base
                    + "\"proto\":\"udp\",\"src\":\"1.2.3.4\",\"dst\":\"1.2.3.5\",\"src_port\":1}"))
        .isEqualTo("dst_port is missing; a udp packet has ports");
    assertThat(
            rejected(
                "{"
                    + base
                    + "\"proto\":\"udp\",\"src\":\"1.2.3.4\",\"dst\":\"1.2.3.5\",\"src_port\":1,\"dst_port\":70000}"))
        .isEqualTo("dst_port must be a whole number from 0 to 65535, got a number 70000");
    assertThat(
            rejected(
                "{"
                    + base
                    + "\"proto\":\"icmp\",\"src\":\"1.2.3.4\",\"dst\":\"1.2.3.5\",\"src_port\":1}"))
        .isEqualTo("src_port must be absent for a icmp packet");
    assertThat(
            rejected(
                "{"
                    + base
                    + "\"proto\":\"icmp\",\"src\":\"1.2.3.4\",\"dst\":\"1.2.3.5\",\"flags\":\"[S]\"}"))
        .isEqualTo("flags must be absent for a icmp packet");
    assertThat(rejected("{\"id\":\"a\",\"ts\":-1}"))
        .isEqualTo("ts must be epoch milliseconds (a whole number of at least 0), got a number -1");
    assertThat(rejected("[1]")).isEqualTo("not a JSON object");
    assertThat(
            rejected(
                "{"
                    + base
                    + "\"proto\":\"other\",\"src\":\"1.2.3.4\",\"dst\":\"1.2.3.5\",\"dst_port\":1}"))
        .isEqualTo("src_port and dst_port come together: one is set, the other missing");
    // SCTP and DCCP lines are read as "other", with their ports (found by TcpdumpLinesFuzzTest).
    assertThat(
            PacketCodec.decode(
                    "{"
                        + base
                        + "\"proto\":\"other\",\"src\":\"1.2.3.4\",\"dst\":\"1.2.3.5\",\"src_port\":1,\"dst_port\":2}")
                .packet()
                .dstPort())
        .isEqualTo(2);
  }
}
