package dev.sluice.spark.security;

import dev.sluice.core.reviews.Review;
import dev.sluice.core.security.Packet;
import dev.sluice.core.security.PacketCodec;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.loadgen.security.AttackTruth;
import dev.sluice.loadgen.security.AttackWordlists;
import dev.sluice.loadgen.security.Scenario;
import dev.sluice.loadgen.security.SensorTraffic;
import dev.sluice.spark.TestData;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The security pipeline's test input: the simulator's mixed scenario (ordinary traffic, injections
 * of every class, a DoS and a DDoS, with their ground truth), a SYN flood and ordinary handshakes
 * as packets, and records the pipeline must quarantine. Events within a few seconds of each other
 * are shuffled, as sensors deliver them, so windows see them out of order.
 */
record SecurityTraffic(
    List<byte[]> sensorEvents, List<byte[]> packets, List<AttackTruth> truths, long rejected) {
  /** Event time of the first event: a fixed instant, so runs compare. */
  static final long START = 1_764_489_600_000L;

  /** The SYN flood's target and port. */
  static final String SYN_FLOOD_TARGET = "10.0.1.20";

  static final int SYN_FLOOD_PORT = 80;

  /**
   * @param seconds event time the simulator covers; the mixed scenario attacks every 20 s from 5 s
   *     (sqli, xss, dos, traversal, cmdi, ddos)
   * @param perSecond ordinary sensor events per second of event time
   */
  static SecurityTraffic generate(int seconds, int perSecond) {
    List<String> texts = TestData.imdbReviews(30_000, 300).stream().map(Review::text).toList();
    SensorTraffic simulator =
        new SensorTraffic(
            new SensorTraffic.Settings(
                Scenario.MIXED, 11, START, seconds * 1_000L, perSecond, "it"),
            AttackWordlists.debian(),
            texts);
    List<byte[]> events = new ArrayList<>();
    List<AttackTruth> truths = new ArrayList<>();
    for (SensorTraffic.Item item = simulator.next(); item != null; item = simulator.next()) {
      if (item.event() != null) {
        events.add(SensorEventCodec.encode(item.event()));
      } else {
        truths.add(item.truth());
      }
    }
    Random random = new Random(20261130);
    shuffleWithinBlocks(events, 500, random);
    // A copy of an event (a sensor's retry) and records no decoder accepts.
    events.add(events.size() / 2, events.get(events.size() / 3).clone());
    events.add(events.size() / 4, bytes("{\"id\":\"x\",\"ts\":1}"));
    events.add(events.size() / 5, bytes("not json"));
    List<byte[]> packets = packets(seconds, random);
    packets.add(packets.size() / 2, bytes("{\"id\":\"p\"}"));
    return new SecurityTraffic(events, packets, truths, 4);
  }

  /**
   * Ordinary handshakes to port 443 over the whole run, and from 30 s a SYN flood: 1,500 SYNs from
   * 250 sources to port 80 in 3 s, none completed.
   */
  private static List<byte[]> packets(int seconds, Random random) {
    List<Packet> packets = new ArrayList<>();
    int n = 0;
    for (long at = START; at < START + seconds * 1_000L; at += 200) {
      String client = "198.51.100." + (1 + (n % 200));
      int port = 40_000 + (n % 20_000);
      packets.add(tcp("h" + n + "a", at, client, port, SYN_FLOOD_TARGET, 443, "[S]", 0));
      packets.add(tcp("h" + n + "b", at + 1, SYN_FLOOD_TARGET, 443, client, port, "[S.]", 0));
      packets.add(tcp("h" + n + "c", at + 2, client, port, SYN_FLOOD_TARGET, 443, "[.]", 0));
      packets.add(tcp("h" + n + "d", at + 3, client, port, SYN_FLOOD_TARGET, 443, "[P.]", 517));
      n++;
    }
    long onset = START + 30_000;
    for (int i = 0; i < 1_500; i++) {
      String source = "10.200." + (i % 250 / 100) + "." + (1 + i % 100);
      packets.add(
          tcp(
              "s" + i,
              onset + i * 2L,
              source,
              1024 + i,
              SYN_FLOOD_TARGET,
              SYN_FLOOD_PORT,
              "[S]",
              0));
    }
    packets.sort((a, b) -> Long.compare(a.ts(), b.ts()));
    List<byte[]> encoded = new ArrayList<>();
    for (Packet packet : packets) {
      encoded.add(PacketCodec.encode(packet));
    }
    shuffleWithinBlocks(encoded, 200, random);
    return encoded;
  }

  private static Packet tcp(
      String id,
      long ts,
      String src,
      int srcPort,
      String dst,
      int dstPort,
      String flags,
      int length) {
    return new Packet(
        id,
        ts,
        java.time.Instant.ofEpochMilli(ts).toString(),
        Packet.Protocol.TCP,
        src,
        dst,
        srcPort,
        dstPort,
        flags,
        length);
  }

  private static void shuffleWithinBlocks(List<byte[]> values, int block, Random random) {
    for (int from = 0; from < values.size(); from += block) {
      Collections.shuffle(values.subList(from, Math.min(values.size(), from + block)), random);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
