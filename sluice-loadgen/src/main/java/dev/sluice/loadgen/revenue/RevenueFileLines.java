package dev.sluice.loadgen.revenue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a {@code --file}, as they are: each line's bytes become one record's value unchanged
 * (bad JSON and invalid UTF-8 included, so that they reach the pipeline's quarantine like any
 * producer's), keyed by the line's {@code id} when it has one. Only empty lines are left out, and
 * lines longer than {@link #MAX_LINE_BYTES}, which Kafka would refuse; both are counted.
 */
final class RevenueFileLines implements AutoCloseable {
  /** Below Kafka's default limit of 1 MiB per record, with room for the key and the headers. */
  static final int MAX_LINE_BYTES = 1_000_000;

  /**
   * One line to send.
   *
   * @param number the line's number in the file, from 1
   * @param key the record's {@code id} as the codec reads it ({@code 42} and {@code "42"} both give
   *     {@code 42}), or null when the line has none
   * @param rejection why the pipeline will quarantine the line, or null when it decodes
   */
  record Line(long number, String key, byte[] value, String rejection) {}

  private final InputStream in;
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long number;
  private long empty;
  private long tooLong;
  private boolean ended;

  RevenueFileLines(Path file) throws IOException {
    this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
  }

  /** The next line to send, or null at the end of the file. */
  Line next() throws IOException {
    while (!ended) {
      line.reset();
      boolean over = false;
      boolean any = false;
      for (int b = in.read(); ; b = in.read()) {
        if (b < 0) {
          ended = true;
          break;
        }
        any = true;
        if (b == '\n') {
          break;
        }
        if (line.size() <= MAX_LINE_BYTES) {
          line.write(b);
        } else {
          over = true;
        }
      }
      if (!any) {
        break;
      }
      number++;
      byte[] bytes = withoutCarriageReturn(line.toByteArray());
      if (over || bytes.length > MAX_LINE_BYTES) {
        tooLong++;
      } else if (bytes.length == 0) {
        empty++;
      } else {
        RevenueCodec.Decoded decoded = RevenueCodec.decode(bytes);
        return new Line(number, key(bytes), bytes, decoded.ok() ? null : decoded.reason());
      }
    }
    return null;
  }

  /** Empty lines left out so far. */
  long empty() {
    return empty;
  }

  /** Lines over {@link #MAX_LINE_BYTES} left out so far. */
  long tooLong() {
    return tooLong;
  }

  private static byte[] withoutCarriageReturn(byte[] bytes) {
    return bytes.length > 0 && bytes[bytes.length - 1] == '\r'
        ? Arrays.copyOf(bytes, bytes.length - 1)
        : bytes;
  }

  /** The id as the pipeline reads it, so a line of a bad record still lands by its id. */
  static String key(byte[] value) {
    JsonRecords.Parsed parsed = JsonRecords.parse(value);
    if (!parsed.ok()) {
      return null;
    }
    JsonNode id = parsed.object().get("id");
    if (id == null) {
      return null;
    }
    if (id.isTextual() && !id.textValue().isEmpty()) {
      return id.textValue();
    }
    if (id.isIntegralNumber() && id.canConvertToLong()) {
      return Long.toString(id.longValue());
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
