package dev.sluice.loadgen.packets;

import dev.sluice.core.security.TcpdumpLines;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Imports one capture file: a pcap or pcapng file through {@code tcpdump -nn -tttt -r}, or a text
 * capture as it is. Its packets' ids are {@code f-<content hash>-<ordinal>}, so importing the same
 * file again, under any name, sends the same ids.
 */
final class FileImport {
  /**
   * After its output ends, tcpdump exits at once; this only bounds a wait that should not happen.
   */
  private static final long TCPDUMP_EXIT_SECONDS = 30;

  private static final int STDERR_LINES_KEPT = 20;

  /** tcpdump could not read the file to its end; the packets before the problem were sent. */
  static final class TcpdumpFailed extends Exception {
    TcpdumpFailed(String message) {
      super(message);
    }
  }

  private FileImport() {}

  /**
   * Sends the file's packets. {@code tcpdump} is only used, and only needed, for pcap and pcapng.
   * {@code textZone} is the zone of a text capture's timestamps (tcpdump run here prints UTC).
   */
  static void run(
      Path file, CaptureFiles.Kind kind, Tcpdump tcpdump, ZoneId textZone, PacketSender sender)
      throws IOException, TcpdumpFailed {
    String prefix = "f-" + CaptureFiles.contentHash(file);
    if (kind == CaptureFiles.Kind.TEXT) {
      try (InputStream in = Files.newInputStream(file)) {
        sender.send(
            new BoundedLines(in, StandardCharsets.UTF_8),
            new TcpdumpLines(textZone, prefix),
            file.toString());
      }
      return;
    }
    Process process = tcpdump.read(file).start();
    List<String> stderr = new ArrayList<>();
    Thread drain = drain(process, stderr);
    try (InputStream out = process.getInputStream()) {
      sender.send(
          new BoundedLines(out, StandardCharsets.UTF_8),
          new TcpdumpLines(java.time.ZoneOffset.UTC, prefix),
          file.toString());
    } finally {
      // Stopped early (Ctrl-C, too many failed sends): tcpdump has nothing more to do.
      if (sender.sends().shouldEnd()) {
        process.destroy();
      }
    }
    int code;
    try {
      if (!process.waitFor(TCPDUMP_EXIT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new TcpdumpFailed("tcpdump did not exit after reading " + file);
      }
      code = process.exitValue();
      drain.join(TimeUnit.SECONDS.toMillis(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      return;
    }
    if (code != 0 && !sender.sends().shouldEnd()) {
      synchronized (stderr) {
        throw new TcpdumpFailed(
            "tcpdump -r " + file + " exited with " + code + ": " + String.join(" / ", stderr));
      }
    }
  }

  /** Keeps tcpdump's messages, except its banner, for the error; a full pipe would stall it. */
  private static Thread drain(Process process, List<String> kept) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream err = process.getErrorStream()) {
                BoundedLines lines = new BoundedLines(err, StandardCharsets.UTF_8);
                for (String line = lines.next(); line != null; line = lines.next()) {
                  synchronized (kept) {
                    if (!line.startsWith("reading from file ") && kept.size() < STDERR_LINES_KEPT) {
                      kept.add(dev.sluice.core.records.StorableText.abbreviate(line, 300));
                    }
                  }
                }
              } catch (IOException e) {
                // The process is gone; what it said so far is kept.
              }
            },
            "tcpdump-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
