package dev.sluice.core.security;

import dev.sluice.core.records.StorableText;
import dev.sluice.core.security.Packet.Protocol;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the text output of {@code tcpdump -nn -tttt} (with or without {@code -q} and {@code -v};
 * IPv4 and IPv6; TCP, UDP, ICMP, ICMPv6, ARP, other IP protocols), one line at a time, into {@link
 * Packet}s. A line that is no packet (tcpdump's banner, a {@code -v} continuation, a blank, a
 * truncated or garbled line, a link type other than IP and ARP) is skipped with its {@link Skip}
 * reason and a precise detail, and counted; nothing here throws for bad input.
 *
 * <p>Stateful for one input, because {@code -v} prints an IPv4 packet on two lines: the IP header
 * in parentheses, then the addresses indented on the next line. Packets are numbered in order, and
 * each gets the id {@code <idPrefix>-<ordinal>}, so the same input gives the same ids.
 *
 * <p>{@code -tttt} prints the capture's local time without a zone: the reader is told the zone
 * (Sluice runs tcpdump with {@code TZ=UTC0}, and saved text captures are read as UTC unless told
 * otherwise).
 */
public final class TcpdumpLines {
  /** Far longer than any packet line tcpdump prints with {@code -q} or without {@code -v}. */
  public static final int MAX_LINE_CHARS = 16_384;

  /** Why a line is not a packet. */
  public enum Skip {
    /** tcpdump's own messages: "reading from file", "listening on", packet counts. */
    BANNER,
    /** An empty line. */
    BLANK,
    /** An indented line: more detail of the packet before it ({@code -v}, hex dumps). */
    CONTINUATION,
    /** A line that does not start with a {@code -tttt} timestamp. */
    NOT_A_PACKET,
    /** A packet line that is cut short or does not have the expected fields. */
    MALFORMED,
    /** A packet of a link type or kind Sluice does not read (STP, LLDP, unknown ARP...). */
    UNSUPPORTED,
    /** A line longer than {@link #MAX_LINE_CHARS}. */
    TOO_LONG;

    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** One outcome: exactly one of {@code packet} and {@code skip} is set. */
  public record Outcome(Packet packet, Skip skip, String detail) {
    public boolean ok() {
      return packet != null;
    }

    static Outcome skipped(Skip skip, String detail) {
      return new Outcome(null, skip, detail);
    }
  }

  private static final Pattern TIMESTAMP =
      Pattern.compile("^(\\d{4})-(\\d{2})-(\\d{2}) (\\d{2}):(\\d{2}):(\\d{2})(?:\\.(\\d{1,9}))?");
  private static final Pattern BANNER_LINE =
      Pattern.compile(
          "^(tcpdump: |reading from file |listening on |\\d+ packets? (captured|received by filter|dropped by kernel)$)");
  private static final Pattern TCP_FLAGS =
      Pattern.compile("^Flags (\\[(?:[FSRPUEWe.]{1,9}|none)\\])");
  private static final Pattern QUIET_TCP = Pattern.compile("^tcp (\\d{1,9})\\b");
  private static final Pattern LENGTH_FIELD = Pattern.compile("(?:^|[ ,])length:? (\\d{1,9})\\b");
  private static final Pattern DNS_LENGTH = Pattern.compile(" \\((\\d{1,9})\\)$");

  /** "length N" among the -v IPv4 header's fields; more may follow (options, a bad checksum). */
  private static final Pattern V4_HEADER_LENGTH =
      Pattern.compile("(?:^|, )length (\\d{1,9})(?=,|$)");

  private static final Pattern V6_PAYLOAD_LENGTH = Pattern.compile("payload length: (\\d{1,9})$");

  /** With -v, ARP names its formats first: "Ethernet (len 6), IPv4 (len 4), ". */
  private static final String ARP_FORMATS = "^(?:\\S+ \\(len \\d+\\), \\S+ \\(len \\d+\\), )?";

  private static final Pattern ARP_REQUEST =
      Pattern.compile(ARP_FORMATS + "Request who-has (\\S+)(?: \\([^)]*\\))? tell (\\S+?),");
  private static final Pattern ARP_REPLY =
      Pattern.compile(ARP_FORMATS + "Reply (\\S+) is-at \\S+?,");
  private static final int IPV6_HEADER_BYTES = 40;
  private static final String CUT_SHORT =
      "tcpdump marks the packet as cut short by the snapshot length ([|...]): ";

  private final ZoneId zone;
  private final String idPrefix;
  private final Map<Skip, Long> skipped = new EnumMap<>(Skip.class);
  private long packets;

  /** A {@code -v} IPv4 header line waiting for its address line. */
  private Header pending;

  private record Header(String line, long ts, String time, int ipLength) {}

  /**
   * @param zone the zone of the capture's {@code -tttt} timestamps
   * @param idPrefix the ids' prefix, e.g. {@code f-<hash of the file>}; at most {@link
   *     Packet#MAX_ID_CHARS} minus 20 characters
   */
  public TcpdumpLines(ZoneId zone, String idPrefix) {
    if (idPrefix.isEmpty() || idPrefix.length() > Packet.MAX_ID_CHARS - 20) {
      throw new IllegalArgumentException(
          "idPrefix must have 1 to " + (Packet.MAX_ID_CHARS - 20) + " characters");
    }
    this.zone = zone;
    this.idPrefix = idPrefix;
  }

  /**
   * Reads one line (without its line end); most lines give one outcome, a {@code -v} header none.
   */
  public List<Outcome> accept(String line) {
    List<Outcome> outcomes = new ArrayList<>(1);
    if (pending != null) {
      Header header = pending;
      pending = null;
      if (line.startsWith(" ") || line.startsWith("\t")) {
        outcomes.add(count(continued(header, line)));
        return outcomes;
      }
      outcomes.add(
          count(
              Outcome.skipped(
                  Skip.MALFORMED,
                  "an IP header line of -v with no address line after it: "
                      + quote(header.line()))));
    }
    Outcome outcome = read(line);
    if (outcome != null) {
      outcomes.add(count(outcome));
    }
    return outcomes;
  }

  /**
   * Ends the input: a {@code -v} header still waiting for its address line is counted as cut short.
   */
  public List<Outcome> finish() {
    if (pending == null) {
      return List.of();
    }
    Header header = pending;
    pending = null;
    return List.of(
        count(
            Outcome.skipped(
                Skip.MALFORMED,
                "the input ends after an IP header line of -v: " + quote(header.line()))));
  }

  /** Reads every line of a whole input. */
  public static List<Outcome> readAll(List<String> lines, ZoneId zone, String idPrefix) {
    TcpdumpLines reader = new TcpdumpLines(zone, idPrefix);
    List<Outcome> outcomes = new ArrayList<>();
    for (String line : lines) {
      outcomes.addAll(reader.accept(line));
    }
    outcomes.addAll(reader.finish());
    return outcomes;
  }

  public long packets() {
    return packets;
  }

  /** Skipped lines by reason, only the reasons that occurred, in the order of {@link Skip}. */
  public Map<Skip, Long> skipped() {
    return Collections.unmodifiableMap(new EnumMap<>(skipped));
  }

  public long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  private Outcome count(Outcome outcome) {
    if (outcome.ok()) {
      packets++;
      Packet p = outcome.packet();
      return new Outcome(
          new Packet(
              idPrefix + "-" + packets,
              p.ts(),
              p.time(),
              p.protocol(),
              p.src(),
              p.dst(),
              p.srcPort(),
              p.dstPort(),
              p.flags(),
              p.length()),
          null,
          null);
    }
    skipped.merge(outcome.skip(), 1L, Long::sum);
    return outcome;
  }

  /** One line on its own; {@code null} for a {@code -v} header, which is kept as pending. */
  private Outcome read(String line) {
    if (line.length() > MAX_LINE_CHARS) {
      return Outcome.skipped(
          Skip.TOO_LONG,
          "a line of " + line.length() + " characters, more than the limit of " + MAX_LINE_CHARS);
    }
    if (line.isBlank()) {
      return Outcome.skipped(Skip.BLANK, "an empty line");
    }
    if (line.startsWith(" ") || line.startsWith("\t")) {
      return Outcome.skipped(Skip.CONTINUATION, "an indented line continues the packet before it");
    }
    if (BANNER_LINE.matcher(line).find()) {
      return Outcome.skipped(Skip.BANNER, "tcpdump's own message: " + quote(line));
    }
    Matcher stamp = TIMESTAMP.matcher(line);
    if (!stamp.find()) {
      return Outcome.skipped(
          Skip.NOT_A_PACKET,
          "expected a tcpdump -tttt timestamp (YYYY-MM-DD HH:MM:SS.ffffff) at the start, got "
              + quote(line));
    }
    String time = stamp.group();
    long ts;
    try {
      String fraction = stamp.group(7) == null ? "" : stamp.group(7);
      int nanos =
          fraction.isEmpty() ? 0 : Integer.parseInt((fraction + "00000000").substring(0, 9));
      ts =
          LocalDateTime.of(
                  Integer.parseInt(stamp.group(1)),
                  Integer.parseInt(stamp.group(2)),
                  Integer.parseInt(stamp.group(3)),
                  Integer.parseInt(stamp.group(4)),
                  Integer.parseInt(stamp.group(5)),
                  Integer.parseInt(stamp.group(6)),
                  nanos)
              .atZone(zone)
              .toInstant()
              .toEpochMilli();
    } catch (DateTimeException | ArithmeticException e) {
      return Outcome.skipped(
          Skip.MALFORMED, "the timestamp " + quote(time) + " is no valid date and time");
    }
    if (ts < 0) {
      // Epoch times below 0 are no capture's and no record's (the codec refuses them, as every
      // pipeline's decoder does): a year like 0673 is a garbled line.
      return Outcome.skipped(
          Skip.MALFORMED, "the timestamp " + quote(time) + " is before 1970-01-01 00:00:00 UTC");
    }
    String rest = line.substring(time.length());
    if (!rest.startsWith(" ") || rest.isBlank()) {
      return Outcome.skipped(
          Skip.MALFORMED, "expected the packet after the timestamp, got " + quote(line));
    }
    rest = rest.substring(1);
    if (rest.stripLeading().startsWith("[|")) {
      return Outcome.skipped(Skip.MALFORMED, CUT_SHORT + quote(line));
    }
    if (rest.startsWith("IP6 ")) {
      return ip(line, ts, time, rest.substring(4), true);
    }
    if (rest.startsWith("IP ")) {
      return ip(line, ts, time, rest.substring(3), false);
    }
    if (rest.startsWith("ARP, ")) {
      return arp(line, ts, time, rest.substring(5));
    }
    int space = rest.indexOf(' ');
    return Outcome.skipped(
        Skip.UNSUPPORTED,
        "not an IP, IPv6 or ARP packet: " + quote(space < 0 ? rest : rest.substring(0, space)));
  }

  private Outcome ip(String line, long ts, String time, String body, boolean v6) {
    Integer ipLength = null;
    if (body.startsWith("(")) {
      int close = closingParenthesis(body);
      if (close < 0) {
        return Outcome.skipped(
            Skip.MALFORMED, "the -v header's '(' has no closing ')': " + quote(line));
      }
      String header = body.substring(1, close);
      Matcher length = (v6 ? V6_PAYLOAD_LENGTH : V4_HEADER_LENGTH).matcher(header);
      if (!length.find()) {
        return Outcome.skipped(
            Skip.MALFORMED,
            "the -v header has no "
                + (v6 ? "'payload length: N'" : "'length N'")
                + ": "
                + quote(line));
      }
      ipLength = Integer.parseInt(length.group(1)) + (v6 ? IPV6_HEADER_BYTES : 0);
      body = body.substring(close + 1).stripLeading();
      if (body.isEmpty() && !v6) {
        pending = new Header(line, ts, time, ipLength);
        return null;
      }
    }
    return addresses(line, ts, time, body, v6, ipLength);
  }

  private Outcome continued(Header header, String line) {
    return addresses(
        header.line() + " / " + line.strip(),
        header.ts(),
        header.time(),
        line.strip(),
        false,
        header.ipLength());
  }

  private Outcome addresses(
      String line, long ts, String time, String body, boolean v6, Integer ipLength) {
    int arrow = body.indexOf(" > ");
    if (arrow < 0) {
      return Outcome.skipped(
          Skip.MALFORMED, "expected 'SOURCE > DESTINATION: ', got " + quote(line));
    }
    int colon = body.indexOf(": ", arrow + 3);
    String payload;
    if (colon >= 0) {
      payload = body.substring(colon + 2);
    } else if (body.endsWith(":")) {
      colon = body.length() - 1;
      payload = "";
    } else {
      return Outcome.skipped(
          Skip.MALFORMED, "expected ': ' after the destination address, got " + quote(line));
    }
    Endpoint src = Endpoint.parse(body.substring(0, arrow), v6);
    Endpoint dst = Endpoint.parse(body.substring(arrow + 3, colon), v6);
    if (src.problem() != null || dst.problem() != null) {
      return Outcome.skipped(
          Skip.MALFORMED,
          (src.problem() != null ? "source " + src.problem() : "destination " + dst.problem())
              + " in "
              + quote(line));
    }
    if ((src.port() == null) != (dst.port() == null)) {
      return Outcome.skipped(
          Skip.MALFORMED, "only one of source and destination has a port in " + quote(line));
    }
    payload = withoutAnnotations(payload);
    if (payload.startsWith("[|")) {
      return Outcome.skipped(Skip.MALFORMED, CUT_SHORT + quote(line));
    }
    Protocol protocol;
    String flags = null;
    Integer length = null;
    if (src.port() != null) {
      Matcher tcpFlags = TCP_FLAGS.matcher(payload);
      Matcher quietTcp = QUIET_TCP.matcher(payload);
      if (tcpFlags.find()) {
        protocol = Protocol.TCP;
        flags = tcpFlags.group(1);
      } else if (quietTcp.find()) {
        protocol = Protocol.TCP;
        length = Integer.parseInt(quietTcp.group(1));
      } else if (payload.startsWith("Flags")) {
        return Outcome.skipped(
            Skip.MALFORMED, "expected TCP flags like [S.] after 'Flags', got " + quote(line));
      } else if (payload.startsWith("sctp") || payload.startsWith("DCCP")) {
        protocol = Protocol.OTHER;
      } else if (payload.isEmpty()) {
        return Outcome.skipped(Skip.MALFORMED, "nothing after the addresses in " + quote(line));
      } else {
        // With ports and no TCP flags, tcpdump printed UDP: "UDP, length N" or the decoded
        // application protocol (DNS, NTP, syslog, DHCP...), which never names UDP.
        protocol = Protocol.UDP;
      }
    } else if (payload.startsWith("ICMP6")) {
      protocol = Protocol.ICMP6;
    } else if (payload.startsWith("ICMP ")) {
      protocol = Protocol.ICMP;
    } else if (payload.isEmpty()) {
      return Outcome.skipped(Skip.MALFORMED, "nothing after the addresses in " + quote(line));
    } else {
      protocol = Protocol.OTHER;
    }
    if (length == null) {
      Matcher field = LENGTH_FIELD.matcher(payload);
      Matcher dns = DNS_LENGTH.matcher(payload);
      if (field.find()) {
        length = Integer.parseInt(field.group(1));
      } else if (protocol == Protocol.UDP && dns.find()) {
        length = Integer.parseInt(dns.group(1));
      }
    }
    return new Outcome(
        new Packet(
            null,
            ts,
            time,
            protocol,
            src.address(),
            dst.address(),
            src.port(),
            dst.port(),
            flags,
            ipLength != null ? ipLength : length),
        null,
        null);
  }

  private Outcome arp(String line, long ts, String time, String body) {
    Matcher request = ARP_REQUEST.matcher(body);
    Matcher reply = ARP_REPLY.matcher(body);
    String src;
    String dst;
    if (request.find()) {
      src = request.group(2);
      dst = request.group(1);
    } else if (reply.find()) {
      src = reply.group(1);
      dst = null;
    } else {
      return Outcome.skipped(
          Skip.UNSUPPORTED,
          "an ARP packet that is neither 'Request who-has A tell B' nor 'Reply A is-at MAC': "
              + quote(line));
    }
    if (!AddressLiterals.isIpv4(src) || (dst != null && !AddressLiterals.isIpv4(dst))) {
      return Outcome.skipped(
          Skip.MALFORMED, "an ARP address that is no IPv4 literal in " + quote(line));
    }
    Matcher field = LENGTH_FIELD.matcher(body);
    Integer length = field.find() ? Integer.parseInt(field.group(1)) : null;
    return new Outcome(
        new Packet(null, ts, time, Protocol.ARP, src, dst, null, null, null, length), null, null);
  }

  /** Drops tcpdump's bracketed notes before the protocol, e.g. {@code [bad udp cksum 0x2b!]}. */
  private static String withoutAnnotations(String payload) {
    for (int i = 0; i < 4 && payload.startsWith("[") && !payload.startsWith("[|"); i++) {
      int close = payload.indexOf("] ");
      if (close < 0) {
        break;
      }
      payload = payload.substring(close + 2);
    }
    return payload;
  }

  private static int closingParenthesis(String text) {
    int depth = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(') {
        depth++;
      } else if (c == ')' && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * An address as tcpdump prints it with {@code -nn}: {@code 10.0.0.1.443}, {@code ::1.443}, {@code
   * ::1}.
   */
  private record Endpoint(String address, Integer port, String problem) {
    static Endpoint parse(String text, boolean v6) {
      String address = text;
      String port = null;
      int lastDot = text.lastIndexOf('.');
      if (v6) {
        // An IPv6 literal may end in an IPv4 address (::ffff:10.0.0.1): the port is a fifth part
        // after it, or the one part after the last ':'.
        int lastColon = text.lastIndexOf(':');
        long dots = text.substring(lastColon + 1).chars().filter(c -> c == '.').count();
        if (lastColon >= 0 && (dots == 1 || dots == 4)) {
          address = text.substring(0, lastDot);
          port = text.substring(lastDot + 1);
        }
        if (!AddressLiterals.isIpv6(address)) {
          return new Endpoint(
              null, null, "is no IPv6 address (with an optional .port): " + quote(text));
        }
      } else {
        long dots = text.chars().filter(c -> c == '.').count();
        if (dots == 4) {
          address = text.substring(0, lastDot);
          port = text.substring(lastDot + 1);
        }
        if (!AddressLiterals.isIpv4(address)) {
          return new Endpoint(
              null, null, "is no IPv4 address (with an optional .port): " + quote(text));
        }
      }
      if (port == null) {
        return new Endpoint(address, null, null);
      }
      if (port.isEmpty()
          || port.length() > 5
          || !port.chars().allMatch(c -> c >= '0' && c <= '9')
          || Integer.parseInt(port) > 65_535) {
        return new Endpoint(null, null, "port " + quote(port) + " is no number from 0 to 65535");
      }
      return new Endpoint(address, Integer.parseInt(port), null);
    }
  }

  private static String quote(String text) {
    return "'" + StorableText.replaceUnstorable(StorableText.abbreviate(text, 120)) + "'";
  }
}
