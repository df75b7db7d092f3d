package dev.sluice.bench.api;

import java.nio.charset.StandardCharsets;

/**
 * Finds where an HTTP/1.1 response ends in the bytes read so far: just enough HTTP for the
 * benchmark's clients (status line, {@code Content-Length} or chunked body, {@code Connection:
 * close}), so they spend as little of the shared cores as possible.
 */
final class HttpResponses {
  /**
   * A complete response at the start of the bytes.
   *
   * @param length how many bytes it takes, head and body
   * @param close whether the server closes the connection after it
   */
  record Parsed(int status, int length, boolean close) {}

  private HttpResponses() {}

  /**
   * The response at the start of {@code bytes[0, size)}, or null while it is incomplete.
   *
   * @throws IllegalArgumentException when the bytes are not an HTTP/1.1 response
   */
  static Parsed parse(byte[] bytes, int size) {
    int headEnd = indexOf(bytes, 0, size, "\r\n\r\n");
    if (headEnd < 0) {
      return null;
    }
    if (headEnd < 12 || !startsWith(bytes, 0, "HTTP/1.")) {
      throw new IllegalArgumentException("not an HTTP/1.1 response");
    }
    int status = digit(bytes[9]) * 100 + digit(bytes[10]) * 10 + digit(bytes[11]);
    long contentLength = -1;
    boolean chunked = false;
    boolean close = false;
    int lineStart = indexOf(bytes, 0, headEnd, "\r\n") + 2;
    while (lineStart < headEnd + 2) {
      int lineEnd = indexOf(bytes, lineStart, headEnd + 2, "\r\n");
      if (startsWithIgnoreCase(bytes, lineStart, lineEnd, "content-length:")) {
        contentLength = Long.parseLong(value(bytes, lineStart, lineEnd));
      } else if (startsWithIgnoreCase(bytes, lineStart, lineEnd, "transfer-encoding:")) {
        chunked = value(bytes, lineStart, lineEnd).equalsIgnoreCase("chunked");
      } else if (startsWithIgnoreCase(bytes, lineStart, lineEnd, "connection:")) {
        close = value(bytes, lineStart, lineEnd).equalsIgnoreCase("close");
      }
      lineStart = lineEnd + 2;
    }
    int bodyStart = headEnd + 4;
    if (chunked) {
      int end = chunkedEnd(bytes, bodyStart, size);
      return end < 0 ? null : new Parsed(status, end, close);
    }
    long end = bodyStart + Math.max(0, contentLength);
    return end > size ? null : new Parsed(status, (int) end, close);
  }

  /** Where a chunked body starting at {@code from} ends, or -1 while it is incomplete. */
  private static int chunkedEnd(byte[] bytes, int from, int size) {
    int at = from;
    while (true) {
      int lineEnd = indexOf(bytes, at, size, "\r\n");
      if (lineEnd < 0) {
        return -1;
      }
      String sizeLine = new String(bytes, at, lineEnd - at, StandardCharsets.US_ASCII);
      int semicolon = sizeLine.indexOf(';');
      long chunk =
          Long.parseLong((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
      at = lineEnd + 2;
      if (chunk == 0) {
        // Trailers, if any, then the empty line that ends the body.
        while (true) {
          int trailerEnd = indexOf(bytes, at, size, "\r\n");
          if (trailerEnd < 0) {
            return -1;
          }
          if (trailerEnd == at) {
            return at + 2;
          }
          at = trailerEnd + 2;
        }
      }
      at += chunk + 2;
      if (at > size) {
        return -1;
      }
    }
  }

  private static String value(byte[] bytes, int lineStart, int lineEnd) {
    int colon = indexOf(bytes, lineStart, lineEnd, ":");
    return new String(bytes, colon + 1, lineEnd - colon - 1, StandardCharsets.ISO_8859_1).strip();
  }

  private static int digit(byte b) {
    if (b < '0' || b > '9') {
      throw new IllegalArgumentException("not an HTTP status code");
    }
    return b - '0';
  }

  private static boolean startsWith(byte[] bytes, int from, String prefix) {
    for (int i = 0; i < prefix.length(); i++) {
      if (bytes[from + i] != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static boolean startsWithIgnoreCase(byte[] bytes, int from, int to, String prefix) {
    if (to - from < prefix.length()) {
      return false;
    }
    for (int i = 0; i < prefix.length(); i++) {
      if (Character.toLowerCase(bytes[from + i]) != prefix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static int indexOf(byte[] bytes, int from, int to, String needle) {
    outer:
    for (int i = from; i <= to - needle.length(); i++) {
      for (int j = 0; j < needle.length(); j++) {
        if (bytes[i + j] != needle.charAt(j)) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
