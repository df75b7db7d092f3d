package dev.sluice.detect;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP-like event a sensor saw: any part may be absent (a message sensor has only a payload).
 *
 * @param method e.g. {@code GET}; null when unknown
 * @param path the path with its query string, still percent-encoded as sent, e.g. {@code
 *     /search?q=caf%C3%A9}; null when none
 * @param headers header name to value, in the order given; empty when none
 * @param payload the body or message as text; null when none
 */
public record HttpEvent(String method, String path, Map<String, String> headers, String payload) {
  public HttpEvent {
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  /** The value of header {@code name}, compared without regard to case as HTTP does. */
  public Optional<String> header(String name) {
    for (Map.Entry<String, String> header : headers.entrySet()) {
      if (header.getKey().equalsIgnoreCase(name)) {
        return Optional.ofNullable(header.getValue());
      }
    }
    return Optional.empty();
  }
}
