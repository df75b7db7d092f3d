package dev.sluice.loadgen.packets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.security.Packet;
import dev.sluice.core.security.Packet.Protocol;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code ./sluice capture} on {@code lo} only, bounded in time: traffic made here (a TCP connection
 * to a local server, a UDP datagram, an ICMP echo to 127.0.0.1) arrives in Kafka with the right
 * ports and flags. Capturing needs root or CAP_NET_RAW; without them the test fails and says so.
 */
class CaptureIT {
  private static EmbeddedPlatform platform;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.shared();
  }

  private static void requireCapturePermission() {
    assertThat(Tcpdump.mayCapture())
        .as(
            "CaptureIT captures on lo: run it as root or with CAP_NET_RAW; tcpdump: apt-get install tcpdump")
        .isTrue();
  }

  @Test
  void localTcpUdpAndIcmpArriveWithTheirPortsAndFlags() throws Exception {
    requireCapturePermission();
    String topic = "capture-" + UUID.randomUUID();
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        DatagramSocket udpTarget = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      int tcpPort = server.getLocalPort();
      int udpPort = udpTarget.getLocalPort();
      // Only this test's traffic: the embedded Kafka and PostgreSQL also talk on lo.
      String filter = "tcp port " + tcpPort + " or udp port " + udpPort + " or icmp";

      // Step 1: capture for 10 s.
      PacketsChild capture =
          PacketsChild.start(
              platform,
              CaptureMain.class.getName(),
              List.of("--iface", "lo", "--filter", filter, "--duration", "10", "--topic", topic),
              Map.of());
      capture.awaitStderr("listening on lo", Duration.ofSeconds(60));

      // Step 2: traffic.
      try (Socket client = new Socket(InetAddress.getLoopbackAddress(), tcpPort);
          Socket accepted = server.accept()) {
        OutputStream out = client.getOutputStream();
        out.write("hello\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        InputStream in = accepted.getInputStream();
        assertThat(in.readNBytes(6)).isEqualTo("hello\n".getBytes(StandardCharsets.UTF_8));
      }
      try (DatagramSocket udp = new DatagramSocket()) {
        byte[] datagram = "datagram payload".getBytes(StandardCharsets.UTF_8);
        udp.send(
            new DatagramPacket(
                datagram,
                datagram.length,
                new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort)));
      }
      // As root the JDK sends an ICMP echo request (otherwise it would try TCP port 7).
      assertThat(InetAddress.getByName("127.0.0.1").isReachable(2_000)).isTrue();

      // Step 3: the capture ends by its duration with the summary, and the packets are in Kafka.
      assertThat(capture.waitFor()).as(capture.stderr()).isZero();
      assertThat(capture.stderr())
          .containsPattern("capture: sent \\d+ packets from lo to topic '" + topic + "'");
      List<Packet> packets =
          PacketsChild.decode(PacketsChild.consume(platform, topic, r -> r.size() >= 1));
      assertThat(packets)
          .as("the SYN to the server")
          .anySatisfy(
              p -> {
                assertThat(p.protocol()).isEqualTo(Protocol.TCP);
                assertThat(p.dstPort()).isEqualTo(tcpPort);
                assertThat(p.flags()).isEqualTo("[S]");
                assertThat(p.src()).isEqualTo("127.0.0.1");
              });
      assertThat(packets)
          .as("the server's SYN-ACK")
          .anySatisfy(
              p -> {
                assertThat(p.srcPort()).isEqualTo(tcpPort);
                assertThat(p.flags()).isEqualTo("[S.]");
              });
      assertThat(packets)
          .as("the data")
          .anySatisfy(
              p -> {
                assertThat(p.dstPort()).isEqualTo(tcpPort);
                assertThat(p.flags()).isEqualTo("[P.]");
                assertThat(p.length()).isEqualTo(6);
              });
      assertThat(packets)
          .as("the datagram")
          .anySatisfy(
              p -> {
                assertThat(p.protocol()).isEqualTo(Protocol.UDP);
                assertThat(p.dstPort()).isEqualTo(udpPort);
                assertThat(p.length()).isEqualTo(16);
              });
      assertThat(packets)
          .as("the echo request")
          .anySatisfy(
              p -> {
                assertThat(p.protocol()).isEqualTo(Protocol.ICMP);
                assertThat(p.dst()).isEqualTo("127.0.0.1");
              });
      assertThat(packets)
          .extracting(Packet::id)
          .doesNotHaveDuplicates()
          .allMatch(id -> id.startsWith("c-"));
    }
  }

  @Test
  void sigtermStopsTheCaptureWithTheSummary() throws Exception {
    requireCapturePermission();
    String topic = "capture-" + UUID.randomUUID();
    try (DatagramSocket udpTarget = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      int udpPort = udpTarget.getLocalPort();
      PacketsChild capture =
          PacketsChild.start(
              platform,
              CaptureMain.class.getName(),
              List.of("--iface", "lo", "--filter", "udp port " + udpPort, "--topic", topic),
              Map.of());
      capture.awaitStderr("listening on lo", Duration.ofSeconds(60));
      try (DatagramSocket udp = new DatagramSocket()) {
        for (int i = 0; i < 5; i++) {
          byte[] datagram = ("datagram " + i).getBytes(StandardCharsets.UTF_8);
          udp.send(
              new DatagramPacket(
                  datagram,
                  datagram.length,
                  new InetSocketAddress(InetAddress.getLoopbackAddress(), udpPort)));
        }
      }
      capture.awaitStderr("5 packets sent", Duration.ofSeconds(60));

      capture.terminate();

      // The JVM's status after SIGTERM, reached once the shutdown hook saw the summary printed.
      assertThat(capture.waitFor()).as(capture.stderr()).isEqualTo(143);
      assertThat(capture.stderr())
          .contains("capture: stopped: sent 5 packets from lo to topic '" + topic + "'");
      assertThat(PacketsChild.decode(PacketsChild.consume(platform, topic, r -> r.size() >= 5)))
          .hasSize(5)
          .allMatch(p -> p.protocol() == Protocol.UDP && p.dstPort() == udpPort);
    }
  }

  @Test
  void aBadInterfaceOrFilterIsRefusedBeforeTcpdumpStarts() throws Exception {
    PacketsChild child =
        PacketsChild.start(
            platform,
            CaptureMain.class.getName(),
            List.of("--iface", "-w", "--filter", "tcp -w /tmp/x"),
            Map.of());
    assertThat(child.waitFor()).isEqualTo(ImportMain.EXIT_USAGE);
    assertThat(child.stderr())
        .contains("--iface='-w' is not valid")
        .contains("--filter word '-w' is not valid");
  }
}
