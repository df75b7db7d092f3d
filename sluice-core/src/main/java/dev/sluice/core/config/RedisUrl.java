package dev.sluice.core.config;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where Redis runs: {@code redis://host[:port][/db]}, or {@code rediss://} for TLS. It never holds
 * a password (that comes only from {@code SLUICE_REDIS_PASSWORD}), so it can be printed and logged
 * as it is.
 *
 * @param tls whether the connection uses TLS ({@code rediss://})
 * @param host a host name, an IPv4 address, or an IPv6 address in brackets
 * @param port 6379 when the URL names none
 * @param database the logical database, 0 when the URL names none
 */
public record RedisUrl(boolean tls, String host, int port, int database)
    implements java.io.Serializable {
  public static final int DEFAULT_PORT = 6379;

  static final String EXPECTED =
      "redis://host:port or rediss://host:port (TLS), optionally with a database number /N, and no"
          + " password in it (set SLUICE_REDIS_PASSWORD instead)";

  private static final Pattern URL =
      Pattern.compile(
          "(?<scheme>rediss?)://(?<userinfo>[^@]*@)?"
              + "(?<host>\\[[0-9a-fA-F:.]+\\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)"
              + "(:(?<port>\\d{1,5}))?(/(?<database>\\d{1,9})?)?");

  public RedisUrl {
    if (port < 1 || port > 65535 || database < 0 || host.isBlank()) {
      throw new IllegalArgumentException("not a Redis address: " + host + ":" + port);
    }
  }

  /** A plain (non-TLS) address on database 0, like the embedded Redis's. */
  public static RedisUrl of(String host, int port) {
    return new RedisUrl(false, host, port, 0);
  }

  /** The URL, or {@link Parser.Rejected}; a URL with credentials in it is rejected, never kept. */
  public static RedisUrl parse(String text) {
    Matcher m = URL.matcher(text.strip());
    if (!m.matches() || m.group("userinfo") != null) {
      throw new Parser.Rejected();
    }
    int port = m.group("port") == null ? DEFAULT_PORT : Integer.parseInt(m.group("port"));
    int database = m.group("database") == null ? 0 : Integer.parseInt(m.group("database"));
    if (port < 1 || port > 65535) {
      throw new Parser.Rejected();
    }
    return new RedisUrl(m.group("scheme").equals("rediss"), m.group("host"), port, database);
  }

  /**
   * Parses {@code SLUICE_REDIS}. A rejected value is shown with anything before an {@code @}
   * hidden, since that is where someone may have put a password.
   */
  public static Parser<RedisUrl> parser() {
    return new Parser<>() {
      @Override
      public RedisUrl parse(String text) {
        return RedisUrl.parse(text);
      }

      @Override
      public String expected() {
        return EXPECTED;
      }

      @Override
      public String display(String text) {
        return withoutCredentials(text);
      }
    };
  }

  /** The text with whatever stands between the scheme and the last {@code @} hidden. */
  static String withoutCredentials(String text) {
    int at = text.lastIndexOf('@');
    if (at < 0) {
      return text;
    }
    int scheme = text.indexOf("://");
    int start = scheme < 0 || scheme > at ? 0 : scheme + 3;
    return text.substring(0, start) + "(hidden)" + text.substring(at);
  }

  /** The host without the brackets of an IPv6 address, as socket APIs take it. */
  public String socketHost() {
    return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
  }

  /** The URL in the form {@code SLUICE_REDIS} takes; database 0 is left implicit. */
  @Override
  public String toString() {
    return (tls ? "rediss" : "redis")
        + "://"
        + host
        + ":"
        + port
        + (database == 0 ? "" : "/" + database);
  }
}
