package dev.sluice.loadgen.packets;

import dev.sluice.core.security.TcpdumpLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * What a capture file is, told by its content, never by its name: a pcap or pcapng file (by its
 * magic bytes, read through {@code tcpdump -r}), or saved text output of {@code tcpdump -nn -tttt}
 * (a packet line among its first lines). Also the content hash that makes a file's packet ids.
 */
final class CaptureFiles {
  /** Lines of a text file looked at to tell a capture from other text. */
  static final int TEXT_PROBE_LINES = 200;

  private static final int MAGIC_BYTES = 4;

  enum Kind {
    PCAP,
    PCAPNG,
    TEXT
  }

  /** A file that is no capture, or cannot be read; the message says which and why. */
  static final class NotACapture extends Exception {
    final boolean missing;

    NotACapture(String message, boolean missing) {
      super(message);
      this.missing = missing;
    }
  }

  private CaptureFiles() {}

  static Kind kind(Path file) throws NotACapture {
    if (!Files.exists(file)) {
      throw new NotACapture(file + ": no such file", true);
    }
    if (!Files.isRegularFile(file)) {
      throw new NotACapture(file + ": not a regular file", true);
    }
    if (!Files.isReadable(file)) {
      throw new NotACapture(file + ": not readable", true);
    }
    byte[] head = new byte[MAGIC_BYTES];
    int read;
    try (InputStream in = Files.newInputStream(file)) {
      read = in.readNBytes(head, 0, MAGIC_BYTES);
    } catch (IOException e) {
      throw new NotACapture(file + ": cannot be read: " + e.getMessage(), true);
    }
    if (read == MAGIC_BYTES) {
      int magic =
          ((head[0] & 0xff) << 24)
              | ((head[1] & 0xff) << 16)
              | ((head[2] & 0xff) << 8)
              | (head[3] & 0xff);
      switch (magic) {
        // pcap with microsecond or nanosecond timestamps, in either byte order
        case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1:
          return Kind.PCAP;
        // pcapng's Section Header Block type, the same in both byte orders
        case 0x0a0d0d0a:
          return Kind.PCAPNG;
        default:
          break;
      }
    }
    if (hasPacketLine(file)) {
      return Kind.TEXT;
    }
    throw new NotACapture(
        file
            + ": not a capture: no pcap or pcapng magic bytes and no tcpdump -nn -tttt packet line"
            + " in its first "
            + TEXT_PROBE_LINES
            + " lines",
        false);
  }

  private static boolean hasPacketLine(Path file) throws NotACapture {
    try (InputStream in = Files.newInputStream(file)) {
      BoundedLines lines = new BoundedLines(in, StandardCharsets.UTF_8);
      TcpdumpLines probe = new TcpdumpLines(ZoneOffset.UTC, "probe");
      for (int i = 0; i < TEXT_PROBE_LINES; i++) {
        String line = lines.next();
        if (line == null) {
          break;
        }
        if (line.indexOf('\0') >= 0) {
          return false;
        }
        if (probe.accept(line).stream().anyMatch(TcpdumpLines.Outcome::ok)) {
          return true;
        }
      }
      return probe.finish().stream().anyMatch(TcpdumpLines.Outcome::ok);
    } catch (IOException e) {
      throw new NotACapture(file + ": cannot be read: " + e.getMessage(), true);
    }
  }

  /** The first 128 bits of the SHA-256 of the file's bytes, in hex: the same file, the same ids. */
  static String contentHash(Path file) throws IOException {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        sha256.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha256.digest(), 0, 16);
  }
}
