package dev.sluice.detect;

import java.util.List;
import java.util.Map;

/**
 * The request a ModSecurity transaction sees: method, the raw URI (path and query string, still
 * percent-encoded), headers in order, and the body bytes.
 */
public record HttpRequest(
    String method, String uri, List<Map.Entry<String, String>> headers, byte[] body) {
  public HttpRequest {
    headers = List.copyOf(headers);
    body = body.clone();
  }

  @Override
  public byte[] body() {
    return body.clone();
  }
}
