package dev.sluice.loadgen.reviews;

import dev.sluice.core.reviews.ReviewCodec;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Function;

/**
 * Reads a JSON-lines reviews file line by line and converts each line with {@link ReviewFormats}. A
 * bad line (not UTF-8, too long, not JSON, not a valid review) becomes a {@link Line} with a
 * problem and its line number, and reading goes on. Blank lines are skipped; a UTF-8 byte order
 * mark and Windows line ends are accepted.
 */
final class ReviewFileReader implements Closeable {
  /** Far above any valid line: a review's text is at most 20,000 characters. */
  static final int MAX_LINE_BYTES = 4 << 20;

  private final InputStream in;
  private final Function<String, ReviewFormats.Converted> converter;
  private final CharsetDecoder utf8 =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final byte[] chunk = new byte[1 << 16];
  private int chunkPosition;
  private int chunkLimit;
  private byte[] line = new byte[8192];
  private int lineLength;
  private boolean tooLong;
  private long lineNumber;
  private boolean ended;

  /** A line that held something: a converted review, or why it was rejected. */
  record Line(long number, ReviewFormats.Converted converted) {}

  ReviewFileReader(InputStream in, Function<String, ReviewFormats.Converted> converter) {
    this.in = in;
    this.converter = converter;
  }

  /** A reader of any format {@link ReviewFormats} knows. */
  static ReviewFileReader open(Path file) throws IOException {
    return new ReviewFileReader(Files.newInputStream(file), ReviewFormats::convert);
  }

  /** A reader of the wire format only, decoded once: for files Sluice wrote itself. */
  static ReviewFileReader openWireFormat(Path file) throws IOException {
    return new ReviewFileReader(
        Files.newInputStream(file),
        text -> {
          ReviewCodec.Decoded decoded = ReviewCodec.decode(text);
          return decoded.ok()
              ? new ReviewFormats.Converted(decoded.review(), ReviewFormats.Format.SLUICE, null)
              : ReviewFormats.Converted.rejected(ReviewFormats.Format.SLUICE, decoded.reason());
        });
  }

  /** The next non-blank line, or {@code null} at the end of the file. */
  Line next() throws IOException {
    while (!ended) {
      boolean complete = readLine();
      if (!complete && lineLength == 0 && !tooLong) {
        return null;
      }
      lineNumber++;
      if (tooLong) {
        return rejected("the line is longer than " + (MAX_LINE_BYTES >> 20) + " MB");
      }
      int start = lineNumber == 1 && startsWithBom() ? 3 : 0;
      int end = lineLength > start && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
      String text;
      try {
        text = utf8.decode(ByteBuffer.wrap(line, start, end - start)).toString();
      } catch (CharacterCodingException e) {
        return rejected("not valid UTF-8 text");
      }
      if (text.isBlank()) {
        continue;
      }
      return new Line(lineNumber, converter.apply(text));
    }
    return null;
  }

  /**
   * Reads up to the next line end into {@code line}; a line over the limit is consumed but not
   * kept. Returns whether a line end was found (otherwise the file ended).
   */
  private boolean readLine() throws IOException {
    lineLength = 0;
    tooLong = false;
    while (true) {
      if (chunkPosition == chunkLimit) {
        chunkLimit = in.read(chunk, 0, chunk.length);
        chunkPosition = 0;
        if (chunkLimit <= 0) {
          chunkLimit = 0;
          ended = true;
          return false;
        }
      }
      int newline = chunkPosition;
      while (newline < chunkLimit && chunk[newline] != '\n') {
        newline++;
      }
      append(chunkPosition, newline - chunkPosition);
      boolean found = newline < chunkLimit;
      chunkPosition = found ? newline + 1 : newline;
      if (found) {
        return true;
      }
    }
  }

  private void append(int from, int length) {
    if (tooLong || lineLength + length > MAX_LINE_BYTES) {
      tooLong = true;
      return;
    }
    if (lineLength + length > line.length) {
      line =
          Arrays.copyOf(
              line, Math.max(lineLength + length, Math.min(MAX_LINE_BYTES, line.length * 2)));
    }
    System.arraycopy(chunk, from, line, lineLength, length);
    lineLength += length;
  }

  private Line rejected(String problem) {
    return new Line(lineNumber, ReviewFormats.Converted.rejected(null, problem));
  }

  private boolean startsWithBom() {
    return lineLength >= 3
        && (line[0] & 0xff) == 0xef
        && (line[1] & 0xff) == 0xbb
        && (line[2] & 0xff) == 0xbf;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
