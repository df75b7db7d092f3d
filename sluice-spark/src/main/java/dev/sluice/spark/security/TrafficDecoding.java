package dev.sluice.spark.security;

import dev.sluice.core.security.Packet;
import dev.sluice.core.security.PacketCodec;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.core.security.SensorEvent;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.spark.stream.RecordDecoder;
import java.util.Optional;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The flood and traffic queries' decoder: a record of either input, by the topic it came from, as
 * one row of who sent what to whom. Sensor events ({@link SensorEventCodec}) count as requests or
 * connections, packets ({@link PacketCodec}) as packets; {@code input} says which, by the input's
 * name (not the topic's, which a test or a user may change).
 *
 * <p>{@code syn} marks a connection attempt (a TCP SYN without ACK) and {@code handshake_ack} a
 * pure ACK, what a client sends to complete a handshake; a SYN flood has many of the first and few
 * of the second.
 */
final class TrafficDecoding implements RecordDecoder {
  static final String SENSOR_EVENTS = SecurityDefinition.SENSOR_EVENTS.name();
  static final String PACKETS = SecurityDefinition.PACKETS.name();

  /**
   * What a packet's or event's target is when it names none (an ARP reply names only its sender).
   */
  static final String NO_TARGET = "-";

  static final StructType FIELDS =
      new StructType()
          .add("input", DataTypes.StringType)
          .add("id", DataTypes.StringType)
          .add("ts", DataTypes.LongType)
          .add("src", DataTypes.StringType)
          .add("dst", DataTypes.StringType)
          .add("dst_port", DataTypes.IntegerType)
          .add("proto", DataTypes.StringType)
          .add("bytes", DataTypes.LongType)
          .add("syn", DataTypes.BooleanType)
          .add("handshake_ack", DataTypes.BooleanType);

  private final String sensorEventsTopic;
  private final String packetsTopic;

  /** Records of {@code sensorEventsTopic} are sensor events, of {@code packetsTopic} packets. */
  TrafficDecoding(String sensorEventsTopic, String packetsTopic) {
    this.sensorEventsTopic = sensorEventsTopic;
    this.packetsTopic = packetsTopic;
  }

  @Override
  public StructType schema() {
    return FIELDS;
  }

  /** Copies of an event or packet (a producer's retry, a capture imported twice) count once. */
  @Override
  public Optional<String> idField() {
    return Optional.of("id");
  }

  @Override
  public Decoded decode(byte[] value, String topic, int partition, long offset) {
    if (topic.equals(sensorEventsTopic)) {
      SensorEventCodec.Decoded decoded = SensorEventCodec.decode(value);
      return decoded.ok() ? event(decoded.event()) : Decoded.rejected(decoded.reason());
    }
    if (topic.equals(packetsTopic)) {
      PacketCodec.Decoded decoded = PacketCodec.decode(value);
      return decoded.ok() ? packet(decoded.packet()) : Decoded.rejected(decoded.reason());
    }
    return Decoded.rejected("topic " + topic + " is neither input of the security pipeline");
  }

  private static Decoded event(SensorEvent event) {
    String proto =
        event.proto() != null ? event.proto() : event.method() != null ? "http" : "unknown";
    return Decoded.of(
        SENSOR_EVENTS,
        event.id(),
        event.ts(),
        event.src(),
        event.dst(),
        event.dstPort() == null ? 0 : event.dstPort(),
        proto,
        event.bytes() == null ? 0L : event.bytes(),
        false,
        false);
  }

  private static Decoded packet(Packet packet) {
    boolean tcp = packet.protocol() == Packet.Protocol.TCP && packet.flags() != null;
    return Decoded.of(
        PACKETS,
        packet.id(),
        packet.ts(),
        packet.src(),
        packet.dst() == null ? NO_TARGET : packet.dst(),
        packet.dstPort() == null ? 0 : packet.dstPort(),
        packet.protocol().wire(),
        packet.length() == null ? 0L : (long) packet.length(),
        tcp && packet.hasFlag('S') && !packet.hasFlag('.'),
        tcp && "[.]".equals(packet.flags()));
  }
}
