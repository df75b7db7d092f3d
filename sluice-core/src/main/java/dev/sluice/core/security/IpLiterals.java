package dev.sluice.core.security;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * Checks that a text is an IP address literal, never a host name: nothing here resolves DNS, so an
 * address read from a capture or a record can never make Sluice ask a name server.
 */
public final class IpLiterals {
  /** The longest IPv6 literal, with an embedded IPv4 address ({@code ffff:...:255.255.255.255}). */
  private static final int MAX_IPV6_CHARS = 45;

  private IpLiterals() {}

  public static boolean isIpv4(String text) {
    if (text == null || text.isEmpty() || text.length() > 15) {
      return false;
    }
    int parts = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= text.length(); i++) {
      char c = i < text.length() ? text.charAt(i) : '.';
      if (c == '.') {
        if (digits == 0 || value > 255) {
          return false;
        }
        parts++;
        value = -1;
        digits = 0;
      } else if (c >= '0' && c <= '9' && digits < 3) {
        value = (value < 0 ? 0 : value * 10) + (c - '0');
        digits++;
      } else {
        return false;
      }
    }
    return parts == 4;
  }

  public static boolean isIpv6(String text) {
    if (text == null || text.length() < 2 || text.length() > MAX_IPV6_CHARS) {
      return false;
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean allowed = c == ':' || c == '.' || Character.digit(c, 16) >= 0;
      if (!allowed || c > 'f') {
        return false;
      }
    }
    // With a ':' in it and a hex digit or ':' first, the JDK parses the text as a literal and
    // throws when it is none; it looks a name up only for texts these checks have already refused.
    if (text.indexOf(':') < 0
        || !(text.charAt(0) == ':' || Character.digit(text.charAt(0), 16) >= 0)) {
      return false;
    }
    try {
      // An IPv4-mapped literal (::ffff:1.2.3.4) comes back as an IPv4 address: still a literal.
      InetAddress.getByName(text);
      return true;
    } catch (UnknownHostException e) {
      return false;
    }
  }

  public static boolean isIp(String text) {
    return isIpv4(text) || isIpv6(text);
  }
}
