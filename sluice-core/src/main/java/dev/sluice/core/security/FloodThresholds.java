package dev.sluice.core.security;

import dev.sluice.core.config.Parser;
import dev.sluice.core.config.Setting;
import dev.sluice.core.config.Settings;
import java.io.Serializable;
import java.util.List;

/**
 * When a window of traffic is a flood, per 10-second event-time window (sliding by 5 s). The
 * defaults raise nothing on the simulator's ordinary traffic at the demo's rate nor on the hour of
 * real traffic in Debian's {@code pathspider} capture, and catch its scripted floods within 5 s of
 * onset; a site with more traffic raises them ({@code docs/security.md}).
 *
 * @param dosRequests requests from one source to one target that make a DoS
 * @param dosPackets packets from one source to one target that make a DoS
 * @param ddosRequests requests to one target, from at least {@code ddosSources} sources, that make
 *     a DDoS
 * @param ddosPackets packets to one target, from at least {@code ddosSources} sources
 * @param ddosSources distinct sources a DDoS needs (an estimate within about 2%, HyperLogLog)
 * @param synFloodSyns connection attempts (SYN without ACK) to one target and port
 * @param synFloodHandshakePercent at most this many completed handshakes (pure ACKs to the port)
 *     per 100 SYNs
 * @param quietSeconds event time without an alert after which an incident closes
 */
public record FloodThresholds(
    long dosRequests,
    long dosPackets,
    long ddosRequests,
    long ddosPackets,
    long ddosSources,
    long synFloodSyns,
    int synFloodHandshakePercent,
    int quietSeconds)
    implements Serializable {
  /** The window every flood is counted over, and how far it slides. */
  public static final int WINDOW_SECONDS = 10;

  public static final int SLIDE_SECONDS = 5;

  public static final Setting<Long> DOS_REQUESTS =
      count("SLUICE_SECURITY_DOS_REQUESTS", "500", "requests from one source to one target");
  public static final Setting<Long> DOS_PACKETS =
      count("SLUICE_SECURITY_DOS_PACKETS", "20000", "packets from one source to one target");
  public static final Setting<Long> DDOS_REQUESTS =
      count(
          "SLUICE_SECURITY_DDOS_REQUESTS", "2000", "requests to one target (with enough sources)");
  public static final Setting<Long> DDOS_PACKETS =
      count("SLUICE_SECURITY_DDOS_PACKETS", "20000", "packets to one target (with enough sources)");
  public static final Setting<Long> DDOS_SOURCES =
      count("SLUICE_SECURITY_DDOS_SOURCES", "100", "distinct sources of a DDoS");
  public static final Setting<Long> SYN_FLOOD_SYNS =
      count("SLUICE_SECURITY_SYN_FLOOD_SYNS", "1000", "SYNs to one target and port");
  public static final Setting<Integer> SYN_FLOOD_HANDSHAKE_PERCENT =
      Setting.of(
          "SLUICE_SECURITY_SYN_FLOOD_HANDSHAKE_PERCENT",
          Parser.intBetween(0, 100),
          "10",
          "A SYN flood completes at most this many handshakes per 100 SYNs.");
  public static final Setting<Integer> QUIET_SECONDS =
      Setting.of(
          "SLUICE_SECURITY_QUIET_SECONDS",
          Parser.intBetween(1, 86_400),
          "60",
          "Seconds of event time without an alert after which an incident closes.");

  public static final List<Setting<?>> SETTINGS =
      List.of(
          DOS_REQUESTS,
          DOS_PACKETS,
          DDOS_REQUESTS,
          DDOS_PACKETS,
          DDOS_SOURCES,
          SYN_FLOOD_SYNS,
          SYN_FLOOD_HANDSHAKE_PERCENT,
          QUIET_SECONDS);

  /** The thresholds the settings give; bad values are recorded in {@code settings}. */
  public static FloodThresholds from(Settings settings) {
    return new FloodThresholds(
        orZero(settings.get(DOS_REQUESTS)),
        orZero(settings.get(DOS_PACKETS)),
        orZero(settings.get(DDOS_REQUESTS)),
        orZero(settings.get(DDOS_PACKETS)),
        orZero(settings.get(DDOS_SOURCES)),
        orZero(settings.get(SYN_FLOOD_SYNS)),
        settings.get(SYN_FLOOD_HANDSHAKE_PERCENT) == null
            ? 0
            : settings.get(SYN_FLOOD_HANDSHAKE_PERCENT),
        settings.get(QUIET_SECONDS) == null ? 1 : settings.get(QUIET_SECONDS));
  }

  /** The defaults. */
  public static FloodThresholds defaults() {
    return from(new Settings(java.util.Map.of()));
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static Setting<Long> count(String env, String defaultValue, String what) {
    return Setting.of(
        env,
        Parser.longAtLeast(1),
        defaultValue,
        "A flood: at least this many " + what + " in " + WINDOW_SECONDS + " s of event time.");
  }
}
