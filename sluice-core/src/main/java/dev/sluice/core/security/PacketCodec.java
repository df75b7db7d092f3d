package dev.sluice.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.records.StorableText;
import dev.sluice.core.security.Packet.Protocol;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Encodes packets for the {@code packets} topic and decodes them strictly, saying exactly why a
 * record is rejected. Decoding never throws: a bad record becomes a {@link Decoded} with a reason,
 * so the pipeline can quarantine it and go on. JSON is read by {@link JsonRecords}.
 *
 * <p>The wire form: {@code {"id":"f-3a7b...-1","ts":1764489174998,"time":"2026-11-30
 * 07:52:54.998828","proto":"tcp","src":"127.0.0.1","dst":"127.0.0.1","src_port":57400,
 * "dst_port":45671,"flags":"[S]","length":60}}; {@code dst} is absent for an ARP reply, the ports
 * for anything but TCP, UDP and (SCTP, DCCP) {@code other}, {@code flags} for anything but TCP and
 * with {@code -q}, {@code length} when tcpdump printed none.
 */
public final class PacketCodec {
  /** Longer than any timestamp tcpdump prints (with nanoseconds, 29 characters). */
  static final int MAX_TIME_CHARS = 40;

  private static final Pattern FLAGS = Pattern.compile("\\[(?:[FSRPUEWe.]{1,9}|none)\\]");

  private PacketCodec() {}

  /** A decoded record: exactly one of {@code packet} and {@code reason} is set. */
  public record Decoded(Packet packet, String reason) {
    public boolean ok() {
      return packet != null;
    }
  }

  public static Decoded decode(byte[] value) {
    JsonRecords.Parsed parsed = JsonRecords.parse(value);
    return parsed.ok() ? decode(parsed.object()) : rejected(parsed.reason());
  }

  public static Decoded decode(String json) {
    return decode(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Validates an already parsed JSON value against the packet schema. */
  public static Decoded decode(JsonNode root) {
    JsonRecords.Parsed parsed = JsonRecords.check(root);
    if (!parsed.ok()) {
      return rejected(parsed.reason());
    }
    JsonNode id = root.get("id");
    if (absent(id) || !id.isTextual()) {
      return rejected("id must be a string" + got(id));
    }
    if (id.textValue().isEmpty() || id.textValue().length() > Packet.MAX_ID_CHARS) {
      return rejected("id must have 1 to " + Packet.MAX_ID_CHARS + " characters");
    }
    JsonNode ts = root.get("ts");
    if (absent(ts) || !ts.isIntegralNumber() || !ts.canConvertToLong() || ts.longValue() < 0) {
      return rejected("ts must be epoch milliseconds (a whole number of at least 0)" + got(ts));
    }
    JsonNode time = root.get("time");
    if (absent(time) || !time.isTextual()) {
      return rejected("time must be a string, the timestamp as tcpdump printed it" + got(time));
    }
    if (time.textValue().isEmpty() || time.textValue().length() > MAX_TIME_CHARS) {
      return rejected("time must have 1 to " + MAX_TIME_CHARS + " characters");
    }
    JsonNode protoNode = root.get("proto");
    Protocol proto =
        protoNode != null && protoNode.isTextual()
            ? Protocol.fromWire(protoNode.textValue()).orElse(null)
            : null;
    if (proto == null) {
      return rejected("proto must be one of tcp, udp, icmp, icmp6, arp, other" + got(protoNode));
    }
    JsonNode src = root.get("src");
    if (absent(src) || !src.isTextual() || !AddressLiterals.isIp(src.textValue())) {
      return rejected("src must be an IPv4 or IPv6 address literal" + got(src));
    }
    JsonNode dst = root.get("dst");
    if (absent(dst) && proto != Protocol.ARP) {
      return rejected("dst is missing (only an ARP reply has none)");
    }
    if (!absent(dst) && (!dst.isTextual() || !AddressLiterals.isIp(dst.textValue()))) {
      return rejected("dst must be an IPv4 or IPv6 address literal" + got(dst));
    }
    // TCP and UDP have ports; of the other kinds, SCTP and DCCP do (both or neither), the rest not.
    boolean portsRequired = proto == Protocol.TCP || proto == Protocol.UDP;
    boolean portsAllowed = portsRequired || proto == Protocol.OTHER;
    Integer srcPort = null;
    Integer dstPort = null;
    for (String field : new String[] {"src_port", "dst_port"}) {
      JsonNode port = root.get(field);
      if (portsRequired && absent(port)) {
        return rejected(field + " is missing; a " + proto.wire() + " packet has ports");
      }
      if (!portsAllowed && !absent(port)) {
        return rejected(field + " must be absent for a " + proto.wire() + " packet");
      }
      if (!absent(port)) {
        if (!port.isIntegralNumber()
            || !port.canConvertToInt()
            || port.intValue() < 0
            || port.intValue() > 65_535) {
          return rejected(field + " must be a whole number from 0 to 65535" + got(port));
        }
        if (field.equals("src_port")) {
          srcPort = port.intValue();
        } else {
          dstPort = port.intValue();
        }
      }
    }
    if ((srcPort == null) != (dstPort == null)) {
      return rejected("src_port and dst_port come together: one is set, the other missing");
    }
    String flags = null;
    JsonNode flagsNode = root.get("flags");
    if (!absent(flagsNode)) {
      if (proto != Protocol.TCP) {
        return rejected("flags must be absent for a " + proto.wire() + " packet");
      }
      if (!flagsNode.isTextual() || !FLAGS.matcher(flagsNode.textValue()).matches()) {
        return rejected(
            "flags must be TCP flags as tcpdump prints them, e.g. \"[S.]\"" + got(flagsNode));
      }
      flags = flagsNode.textValue();
    }
    Integer length = null;
    JsonNode lengthNode = root.get("length");
    if (!absent(lengthNode)) {
      if (!lengthNode.isIntegralNumber()
          || !lengthNode.canConvertToInt()
          || lengthNode.intValue() < 0) {
        return rejected("length must be a whole number of bytes, at least 0" + got(lengthNode));
      }
      length = lengthNode.intValue();
    }
    return new Decoded(
        new Packet(
            id.textValue(),
            ts.longValue(),
            time.textValue(),
            proto,
            src.textValue(),
            absent(dst) ? null : dst.textValue(),
            srcPort,
            dstPort,
            flags,
            length),
        null);
  }

  /** The wire form of a packet: only the fields that are set. */
  public static byte[] encode(Packet packet) {
    ObjectNode node = JsonRecords.newObject();
    node.put("id", packet.id());
    node.put("ts", packet.ts());
    node.put("time", packet.time());
    node.put("proto", packet.protocol().wire());
    node.put("src", packet.src());
    if (packet.dst() != null) {
      node.put("dst", packet.dst());
    }
    if (packet.srcPort() != null) {
      node.put("src_port", packet.srcPort());
    }
    if (packet.dstPort() != null) {
      node.put("dst_port", packet.dstPort());
    }
    if (packet.flags() != null) {
      node.put("flags", packet.flags());
    }
    if (packet.length() != null) {
      node.put("length", packet.length());
    }
    return JsonRecords.write(node);
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static String got(JsonNode node) {
    if (absent(node)) {
      return ", got nothing";
    }
    String kind =
        switch (node.getNodeType()) {
          case NUMBER -> "a number";
          case STRING -> "a string";
          case BOOLEAN -> "a boolean";
          case ARRAY -> "an array";
          case OBJECT -> "an object";
          default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    return ", got " + kind + " " + StorableText.abbreviate(node.toString(), 40);
  }

  private static Decoded rejected(String reason) {
    return new Decoded(null, reason);
  }
}
