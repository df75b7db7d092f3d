package dev.sluice.loadgen.packets;

import dev.sluice.core.security.TcpdumpLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.Charset;

/**
 * Lines of a stream with a bound on each: a line longer than {@link TcpdumpLines#MAX_LINE_CHARS}
 * comes back cut to one character more than that (so the parser counts it as too long) and the rest
 * of it is read and dropped, so a file with no line ends cannot fill the memory. Bytes that are not
 * valid in the charset become U+FFFD.
 */
final class BoundedLines {
  private static final int LIMIT = TcpdumpLines.MAX_LINE_CHARS + 1;

  private final Reader reader;
  private final StringBuilder line = new StringBuilder();
  private boolean ended;

  BoundedLines(InputStream in, Charset charset) {
    this.reader = new java.io.BufferedReader(new InputStreamReader(in, charset), 1 << 16);
  }

  /** The next line without its line end ({@code \n}, {@code \r\n}), or {@code null} at the end. */
  String next() throws IOException {
    if (ended) {
      return null;
    }
    line.setLength(0);
    boolean any = false;
    for (int c = reader.read(); ; c = reader.read()) {
      if (c < 0) {
        ended = true;
        return any ? finish() : null;
      }
      any = true;
      if (c == '\n') {
        return finish();
      }
      if (line.length() < LIMIT) {
        line.append((char) c);
      }
    }
  }

  private String finish() {
    int end = line.length();
    if (end > 0 && line.charAt(end - 1) == '\r') {
      end--;
    }
    return line.substring(0, end);
  }
}
