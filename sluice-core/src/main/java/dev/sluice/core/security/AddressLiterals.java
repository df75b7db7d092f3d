package dev.sluice.core.security;

/**
 * Recognizes IP address literals and host names in text without touching the network. {@code
 * InetAddress.getByName} would resolve any string that is not a literal through DNS, so an event
 * could make a decoder query a name server an attacker chose; these checks only read characters.
 */
public final class AddressLiterals {
  /** The longest IPv6 text form: six groups of four, then a dotted IPv4 address. */
  static final int MAX_IPV6_CHARS = 45;

  /** RFC 1035: a name of at most 253 characters, labels of 1 to 63. */
  public static final int MAX_HOST_NAME_CHARS = 253;

  private static final int MAX_LABEL_CHARS = 63;

  private AddressLiterals() {}

  /** An IPv4 or IPv6 literal. */
  public static boolean isIp(String text) {
    return isIpv4(text) || isIpv6(text);
  }

  /**
   * Dotted decimal, four parts of 0 to 255. A leading zero is refused: some parsers read {@code
   * 010} as octal 8, others as 10, so it would name different hosts to different readers.
   */
  public static boolean isIpv4(String text) {
    return isIpv4(text, 0, text.length());
  }

  private static boolean isIpv4(String text, int from, int to) {
    int parts = 0;
    int i = from;
    while (parts < 4) {
      int start = i;
      int value = 0;
      while (i < to && i - start < 3 && isDigit(text.charAt(i))) {
        value = value * 10 + (text.charAt(i) - '0');
        i++;
      }
      int digits = i - start;
      if (digits == 0 || value > 255 || (digits > 1 && text.charAt(start) == '0')) {
        return false;
      }
      parts++;
      if (parts < 4) {
        if (i >= to || text.charAt(i) != '.') {
          return false;
        }
        i++;
      }
    }
    return i == to;
  }

  /**
   * RFC 4291 text form: eight groups of 1 to 4 hex digits, one {@code ::} for a run of zero groups,
   * optionally an IPv4 address as the last two groups. No zone ({@code %eth0}) and no brackets: a
   * zone names an interface of the machine that logged the event, not an address.
   */
  public static boolean isIpv6(String text) {
    int length = text.length();
    if (length < 2 || length > MAX_IPV6_CHARS) {
      return false;
    }
    int groups = 0;
    boolean compressed = false;
    int i = 0;
    if (text.startsWith("::")) {
      compressed = true;
      i = 2;
      if (i == length) {
        return true;
      }
    } else if (text.charAt(0) == ':') {
      return false;
    }
    while (i < length) {
      int start = i;
      while (i < length && i - start < 5 && isHexDigit(text.charAt(i))) {
        i++;
      }
      if (i < length && text.charAt(i) == '.') {
        // The last 32 bits as dotted IPv4.
        if (!isIpv4(text, start, length)) {
          return false;
        }
        groups += 2;
        i = length;
        break;
      }
      int digits = i - start;
      if (digits == 0 || digits > 4) {
        return false;
      }
      groups++;
      if (i == length) {
        break;
      }
      if (text.charAt(i) != ':') {
        return false;
      }
      i++;
      if (i < length && text.charAt(i) == ':') {
        if (compressed) {
          return false;
        }
        compressed = true;
        i++;
        if (i == length) {
          break;
        }
      } else if (i == length) {
        return false;
      }
    }
    return compressed ? groups <= 7 : groups == 8;
  }

  /**
   * A DNS host name (RFC 1123): labels of letters, digits and hyphens, 1 to 63 characters, not
   * starting or ending with a hyphen, joined by dots, at most 253 characters, no trailing dot. A
   * name made only of digits and dots is refused, since it would read as a malformed IPv4 address.
   */
  public static boolean isHostName(String text) {
    int length = text.length();
    if (length < 1 || length > MAX_HOST_NAME_CHARS) {
      return false;
    }
    boolean onlyDigitsAndDots = true;
    int labelStart = 0;
    for (int i = 0; i <= length; i++) {
      if (i == length || text.charAt(i) == '.') {
        int labelLength = i - labelStart;
        if (labelLength < 1
            || labelLength > MAX_LABEL_CHARS
            || text.charAt(labelStart) == '-'
            || text.charAt(i - 1) == '-') {
          return false;
        }
        labelStart = i + 1;
        continue;
      }
      char c = text.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (!letter && !isDigit(c) && c != '-') {
        return false;
      }
      if (!isDigit(c)) {
        onlyDigitsAndDots = false;
      }
    }
    return !onlyDigitsAndDots;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(char c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
