package dev.sluice.server;

import dev.sluice.server.pipeline.Reads;
import io.javalin.http.Context;
import java.util.List;
import java.util.Locale;

/**
 * Answers only requests whose {@code Host} header names this server (DNS rebinding: a page of
 * another site whose name now resolves to 127.0.0.1 would otherwise read the API and the dashboard
 * from the user's browser, since to the browser it is that site's own origin).
 *
 * <p>Entries are as {@code SLUICE_ALLOWED_HOSTS} gives them, lower case: {@code name} allows the
 * name on any port, {@code name:port} on that port only.
 */
final class HostAllowList {
  private final List<String> entries;

  HostAllowList(List<String> entries) {
    this.entries = List.copyOf(entries);
  }

  /** Throws a 421 problem unless the request's Host is allowed. */
  void check(Context ctx) {
    String host = ctx.req().getHeader("Host");
    if (host == null || host.isBlank()) {
      throw new Problem(400, "the request has no Host header; HTTP/1.1 requires one");
    }
    if (!allows(host)) {
      throw new Problem(
          421,
          "this server does not answer to the host '"
              + Reads.abbreviate(host)
              + "'; if that is its name, add it to SLUICE_ALLOWED_HOSTS (now "
              + String.join(",", entries)
              + ")");
    }
  }

  boolean allows(String hostHeader) {
    String host = hostHeader.strip().toLowerCase(Locale.ROOT);
    String name = host;
    int colon = host.lastIndexOf(':');
    // A colon inside brackets belongs to an IPv6 address, not to a port.
    if (colon > host.lastIndexOf(']')) {
      String port = host.substring(colon + 1);
      if (port.isEmpty() || !port.chars().allMatch(Character::isDigit)) {
        return false;
      }
      name = host.substring(0, colon);
    }
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1); // "localhost." is "localhost"
      host = colon > host.lastIndexOf(']') ? name + host.substring(colon) : name;
    }
    for (String entry : entries) {
      if (entry.equals(name) || entry.equals(host)) {
        return true;
      }
    }
    return false;
  }
}
