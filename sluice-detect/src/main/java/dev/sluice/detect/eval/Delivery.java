package dev.sluice.detect.eval;

import dev.sluice.detect.HttpEvent;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** How an evaluation sends a corpus entry, as the security pipeline will see it. */
public enum Delivery {
  /**
   * An attack: the entry as parameter {@code q} of {@code GET /search}, percent-encoded except for
   * the {@code %XX} escapes it already has. Attack wordlists such as wfuzz's are written to be put
   * into a URL as they are ({@code '%20or%20'x'='x} means a space), so their escapes are kept and
   * only what a URL cannot carry is encoded; this reproduces the anchor exactly.
   */
  QUERY_PARAMETER,
  /** Free text: the entry as field {@code text} of a form-encoded {@code POST /reviews} body. */
  FORM_BODY,
  /** A client: the entry as the {@code User-Agent} of {@code GET /}. */
  USER_AGENT;

  /** A browser's user agent, sent with every entry that is not itself a user agent. */
  static final String BROWSER =
      "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";

  public HttpEvent event(String entry) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", "shop.example");
    headers.put("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");
    headers.put("Accept-Language", "en-US,en;q=0.5");
    return switch (this) {
      case QUERY_PARAMETER -> {
        headers.put("User-Agent", BROWSER);
        yield new HttpEvent("GET", "/search?q=" + encodeKeepingEscapes(entry), headers, null);
      }
      case FORM_BODY -> {
        String body = "text=" + encode(entry);
        headers.put("User-Agent", BROWSER);
        headers.put("Content-Type", "application/x-www-form-urlencoded");
        headers.put(
            "Content-Length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
        yield new HttpEvent("POST", "/reviews", headers, body);
      }
      case USER_AGENT -> {
        headers.put("User-Agent", entry);
        yield new HttpEvent("GET", "/", headers, null);
      }
    };
  }

  private static String encode(String entry) {
    return URLEncoder.encode(entry, StandardCharsets.UTF_8);
  }

  /** {@code entry} with every byte but unreserved characters and valid {@code %XX} encoded. */
  static String encodeKeepingEscapes(String entry) {
    StringBuilder out = new StringBuilder(entry.length() * 2);
    for (int i = 0; i < entry.length(); i++) {
      char c = entry.charAt(i);
      if (c == '%'
          && i + 2 < entry.length()
          && Character.digit(entry.charAt(i + 1), 16) >= 0
          && Character.digit(entry.charAt(i + 2), 16) >= 0) {
        out.append(c);
      } else if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append(c);
      } else {
        int end = Character.isHighSurrogate(c) && i + 1 < entry.length() ? i + 2 : i + 1;
        for (byte b : entry.substring(i, end).getBytes(StandardCharsets.UTF_8)) {
          out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
        }
        i = end - 1;
      }
    }
    return out.toString();
  }

  private static final char[] HEX = "0123456789ABCDEF".toCharArray();
}
