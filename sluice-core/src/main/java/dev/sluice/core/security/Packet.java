package dev.sluice.core.security;

import java.util.Locale;
import java.util.Optional;

/**
 * A packet as it travels on the {@code packets} topic (JSON, UTF-8, see {@link PacketCodec}), read
 * from one line of {@code tcpdump -nn -tttt} (see {@link TcpdumpLines}).
 *
 * @param id unique and deterministic for its input: {@code f-<content hash>-<ordinal>} for a file,
 *     {@code c-<host>-<capture start>-<ordinal>} for a live capture, so a re-import sends the same
 *     ids and the pipeline's deduplication by id drops the copies
 * @param ts event time, epoch milliseconds
 * @param time the timestamp as tcpdump printed it, e.g. {@code 2026-11-30 07:52:54.998828}
 * @param protocol what the line says the packet carries
 * @param src the source address literal (IPv4 or IPv6, as printed; never a host name)
 * @param dst the destination address literal; {@code null} for an ARP reply, which names only the
 *     sender
 * @param srcPort the source port for TCP and UDP (and SCTP and DCCP, read as {@code OTHER}),
 *     otherwise {@code null}
 * @param dstPort the destination port, when {@code srcPort} is set
 * @param flags TCP flags as tcpdump prints them, e.g. {@code [S]}, {@code [S.]}, {@code [P.]},
 *     {@code [R]}; {@code null} for other protocols and with {@code -q}, which prints none
 * @param length bytes: the IP packet's length when tcpdump shows it ({@code -v}), else the line's
 *     {@code length N} field (for TCP and UDP the payload); {@code null} when the line has neither
 */
public record Packet(
    String id,
    long ts,
    String time,
    Protocol protocol,
    String src,
    String dst,
    Integer srcPort,
    Integer dstPort,
    String flags,
    Integer length) {
  public static final int MAX_ID_CHARS = 200;

  /** The protocols a line is read as; {@code OTHER} is an IP packet of any other kind (IGMP...). */
  public enum Protocol {
    TCP,
    UDP,
    ICMP,
    ICMP6,
    ARP,
    OTHER;

    public String wire() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Protocol> fromWire(String wire) {
      for (Protocol protocol : values()) {
        if (protocol.wire().equals(wire)) {
          return Optional.of(protocol);
        }
      }
      return Optional.empty();
    }
  }

  /**
   * Whether tcpdump printed this TCP flag ({@code S}, {@code F}, {@code R}, {@code P}, {@code .}
   * for ACK...).
   */
  public boolean hasFlag(char flag) {
    return flags != null
        && flags.indexOf(flag, 1) > 0
        && flags.indexOf(flag, 1) < flags.length() - 1;
  }
}
