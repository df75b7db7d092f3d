package dev.sluice.loadgen.packets;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A pcapng file built byte by byte after the format's specification (section header, Ethernet
 * interface, one enhanced packet block), since nothing on a Debian machine ships one: one UDP
 * datagram 10.0.0.1:40000 to 10.0.0.2:9999 with the payload "ping" at 2026-11-30 08:00:00 UTC.
 */
final class Pcapng {
  static final long MICROS = 1_796_025_600_000_000L;

  private Pcapng() {}

  static byte[] oneUdpDatagram() {
    byte[] payload = {'p', 'i', 'n', 'g'};
    ByteBuffer frame =
        ByteBuffer.allocate(14 + 20 + 8 + payload.length).order(ByteOrder.BIG_ENDIAN);
    frame.put(new byte[] {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1}).putShort((short) 0x0800);
    frame.put((byte) 0x45).put((byte) 0).putShort((short) (20 + 8 + payload.length));
    frame.putShort((short) 1).putShort((short) 0).put((byte) 64).put((byte) 17).putShort((short) 0);
    frame.put(new byte[] {10, 0, 0, 1}).put(new byte[] {10, 0, 0, 2});
    frame
        .putShort((short) 40000)
        .putShort((short) 9999)
        .putShort((short) (8 + payload.length))
        .putShort((short) 0);
    frame.put(payload);
    byte[] packet = frame.array();
    int padded = (packet.length + 3) & ~3;

    ByteBuffer file = ByteBuffer.allocate(28 + 20 + 32 + padded).order(ByteOrder.LITTLE_ENDIAN);
    // Section Header Block
    file.putInt(0x0A0D0D0A).putInt(28).putInt(0x1A2B3C4D).putShort((short) 1).putShort((short) 0);
    file.putLong(-1L).putInt(28);
    // Interface Description Block: Ethernet, snapshot length 65535
    file.putInt(1).putInt(20).putShort((short) 1).putShort((short) 0).putInt(65535).putInt(20);
    // Enhanced Packet Block: interface 0, microseconds since the epoch
    file.putInt(6).putInt(32 + padded).putInt(0);
    file.putInt((int) (MICROS >>> 32)).putInt((int) MICROS);
    file.putInt(packet.length).putInt(packet.length);
    file.put(packet).put(new byte[padded - packet.length]).putInt(32 + padded);
    return file.array();
  }
}
