package dev.sluice.loadgen.calls;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.loadgen.DatasetException;
import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a file of police calls one record at a time, never the whole file: the dataset as
 * published (one JSON array spread over many lines, read with Jackson's streaming parser) or JSON
 * lines (one record a line). Which it is shows in the first character that is not white space:
 * {@code [} or {@code {}. Records are handed on as JSON bytes, unchecked: the pipeline quarantines
 * what it cannot decode, with its reason.
 */
final class CallFiles {
  private CallFiles() {}

  /** A file's records in the order written; {@link #next()} gives {@code null} at the end. */
  interface Records extends Closeable {
    byte[] next() throws IOException;

    /** {@code "a JSON array"} or {@code "JSON lines"}. */
    String format();
  }

  static Records open(Path file) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    try {
      int first = firstNonBlank(in);
      if (first == '[') {
        return new ArrayRecords(in);
      }
      if (first == '{' || first == -1) {
        return new LineRecords(in);
      }
      throw new DatasetException(
          file
              + " is neither a JSON array of calls nor JSON lines: it starts with '"
              + (char) first
              + "'");
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }

  /** Peeks past white space (and a UTF-8 byte order mark) without consuming the character. */
  private static int firstNonBlank(InputStream in) throws IOException {
    while (true) {
      in.mark(4);
      int c = in.read();
      if (c == 0xEF) {
        in.read();
        in.read();
        continue;
      }
      if (c == -1 || !Character.isWhitespace(c)) {
        in.reset();
        return c;
      }
    }
  }

  private static final class ArrayRecords implements Records {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JsonParser parser;
    private boolean started;

    ArrayRecords(InputStream in) throws IOException {
      this.parser = new JsonFactory().createParser(in);
    }

    @Override
    public byte[] next() throws IOException {
      if (!started) {
        parser.nextToken();
        started = true;
      }
      JsonToken token = parser.nextToken();
      if (token == null || token == JsonToken.END_ARRAY) {
        return null;
      }
      JsonNode element = JSON.readTree(parser);
      return JSON.writeValueAsBytes(element);
    }

    @Override
    public String format() {
      return "a JSON array";
    }

    @Override
    public void close() throws IOException {
      parser.close();
    }
  }

  private static final class LineRecords implements Records {
    private final BufferedReader lines;

    LineRecords(InputStream in) {
      this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    @Override
    public byte[] next() throws IOException {
      String line;
      do {
        line = lines.readLine();
      } while (line != null && line.isBlank());
      return line == null ? null : line.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String format() {
      return "JSON lines";
    }

    @Override
    public void close() throws IOException {
      lines.close();
    }
  }
}
