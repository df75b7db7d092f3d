package dev.sluice.spark.security;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.security.Packet;
import dev.sluice.core.security.PacketCodec;
import dev.sluice.core.security.SensorEvent;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.spark.stream.RecordDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrafficDecodingTest {
  private final TrafficDecoding decoding = new TrafficDecoding("events", "caps");

  @Test
  void aRequestCountsAsOneSensorEventWithItsSize() {
    SensorEvent request =
        new SensorEvent(
            "e1",
            1_000L,
            "waf",
            "198.51.100.7",
            "shop.example.com",
            443,
            null,
            "GET",
            "/",
            Map.of("Host", "shop.example.com"),
            null,
            812L);
    assertThat(fields(decoding.decode(SensorEventCodec.encode(request), "events", 0, 0)))
        .containsExactly(
            "sensor-events",
            "e1",
            1_000L,
            "198.51.100.7",
            "shop.example.com",
            443,
            "http",
            812L,
            false,
            false);
  }

  @Test
  void aConnectionWithoutPortOrSizeCountsWithZeros() {
    SensorEvent connection =
        SensorEvent.connection("c1", 5L, "netflow-1", "10.1.0.1", "10.0.1.5", null, "udp", null);
    assertThat(fields(decoding.decode(SensorEventCodec.encode(connection), "events", 0, 0)))
        .containsExactly(
            "sensor-events", "c1", 5L, "10.1.0.1", "10.0.1.5", 0, "udp", 0L, false, false);
  }

  @Test
  void aSynIsAConnectionAttemptAndAPureAckCompletesAHandshake() {
    assertThat(fields(decoding.decode(tcp("[S]"), "caps", 0, 0)))
        .endsWith(true, false)
        .startsWith("packets", "p");
    assertThat(fields(decoding.decode(tcp("[S.]"), "caps", 0, 0))).endsWith(false, false);
    assertThat(fields(decoding.decode(tcp("[.]"), "caps", 0, 0))).endsWith(false, true);
    assertThat(fields(decoding.decode(tcp("[P.]"), "caps", 0, 0))).endsWith(false, false);
  }

  @Test
  void anArpReplyHasNoTarget() {
    Packet reply =
        new Packet("a", 7L, "t", Packet.Protocol.ARP, "10.0.0.1", null, null, null, null, null);
    assertThat(fields(decoding.decode(PacketCodec.encode(reply), "caps", 0, 0)))
        .containsExactly(
            "packets", "a", 7L, "10.0.0.1", TrafficDecoding.NO_TARGET, 0, "arp", 0L, false, false);
  }

  @Test
  void aRecordIsReadByItsTopicAndAnyOtherTopicIsRejected() {
    byte[] packet = tcp("[S]");
    assertThat(decoding.decode(packet, "events", 0, 0).reason()).isNotNull();
    assertThat(decoding.decode(packet, "elsewhere", 0, 0).reason())
        .isEqualTo("topic elsewhere is neither input of the security pipeline");
    assertThat(
            decoding
                .decode("{\"id\":\"x\"}".getBytes(StandardCharsets.UTF_8), "caps", 0, 0)
                .reason())
        .isNotNull();
  }

  private static byte[] tcp(String flags) {
    return PacketCodec.encode(
        new Packet(
            "p", 9L, "t", Packet.Protocol.TCP, "198.51.100.7", "10.0.1.20", 40_000, 80, flags, 60));
  }

  private static List<Object> fields(RecordDecoder.Decoded decoded) {
    assertThat(decoded.reason()).isNull();
    return Arrays.asList(decoded.fields());
  }
}
