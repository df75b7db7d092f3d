package dev.sluice.detect;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The request ModSecurity sees for an {@link HttpEvent}. */
final class HttpRequests {
  private HttpRequests() {}

  /**
   * {@code event} as a request: a missing method is {@code POST} when there is a payload and {@code
   * GET} otherwise, a missing path is {@code /}, the payload is the body.
   */
  static HttpRequest of(HttpEvent event) {
    String method =
        event.method() != null && !event.method().isBlank()
            ? event.method()
            : event.payload() != null ? "POST" : "GET";
    String uri = event.path() != null && !event.path().isEmpty() ? event.path() : "/";
    List<Map.Entry<String, String>> headers = new ArrayList<>();
    for (Map.Entry<String, String> header : event.headers().entrySet()) {
      headers.add(Map.entry(header.getKey(), header.getValue() == null ? "" : header.getValue()));
    }
    byte[] body =
        event.payload() == null ? new byte[0] : event.payload().getBytes(StandardCharsets.UTF_8);
    return new HttpRequest(method, uri, headers, body);
  }
}
