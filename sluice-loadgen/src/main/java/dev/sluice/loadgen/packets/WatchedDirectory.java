package dev.sluice.loadgen.packets;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.loadgen.NumberText;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./sluice import --watch DIR}: imports every capture file that appears in DIR, once.
 *
 * <p>The convention: a file is complete when it appears. Write it elsewhere on the same file
 * system, or in DIR under a name starting with a dot, then {@code mv} it into place (a rename is
 * atomic). Names starting with a dot and sub-directories are never read.
 *
 * <p>What was imported is remembered in a journal, {@code $SLUICE_HOME/packets/imported}, one line
 * per file: {@code <content hash> imported|rejected <name>}, appended and forced to disk once every
 * packet of the file was acknowledged by Kafka. A restart reads the journal and imports only what
 * is not in it; a file whose content was imported already, under any name, is not imported again. A
 * crash between the last acknowledgement and the journal line re-sends that one file, with the same
 * ids, which the pipeline's deduplication drops. A file that is no capture is journaled as rejected
 * and reported once.
 */
final class WatchedDirectory {
  /** How often the directory is listed; a file is imported within about this long. */
  static final long POLL_MILLIS = 1_000;

  /** Entries looked at per listing, so a huge directory is read in bounded steps. */
  static final int MAX_ENTRIES_PER_POLL = 10_000;

  private final ImportMain.Options options;
  private final SluiceConfig config;
  private final PrintStream err;
  private final Path journal;
  private final Set<String> journaled = new HashSet<>();

  /** Files already looked at in this run, by name, size and time, so they are hashed once. */
  private final Map<Path, String> seen = new HashMap<>();

  WatchedDirectory(ImportMain.Options options, SluiceConfig config, PrintStream err) {
    this.options = options;
    this.config = config;
    this.err = err;
    this.journal = journal(config);
  }

  static Path journal(SluiceConfig config) {
    return config.home().resolve("packets").resolve("imported");
  }

  int run() throws Tcpdump.Missing {
    Tcpdump tcpdump = Tcpdump.find();
    try {
      Files.createDirectories(journal.getParent());
      if (Files.exists(journal)) {
        for (String line : Files.readAllLines(journal, StandardCharsets.UTF_8)) {
          int space = line.indexOf(' ');
          if (space > 0) {
            journaled.add(line.substring(0, space));
          }
        }
      }
    } catch (IOException e) {
      err.println("sluice import: cannot read the journal " + journal + ": " + e.getMessage());
      return ImportMain.EXIT_FAILED;
    }
    err.println(
        "import: watching "
            + options.watch()
            + " for capture files ("
            + journaled.size()
            + " imported before, see "
            + journal
            + ")");
    int imported = 0;
    try (PacketRun run =
        new PacketRun(
            "import",
            config.requireKafka(),
            options.topic(),
            config.partitions(PacketRun.PACKETS),
            err)) {
      ScheduledExecutorService timer = null;
      if (options.duration() != null) {
        timer = dev.sluice.core.process.Schedulers.daemon("import-duration");
        timer.schedule(run.sends()::stop, options.duration(), TimeUnit.SECONDS);
      }
      try {
        while (!run.sends().shouldEnd()) {
          for (Path file : newFiles()) {
            if (run.sends().shouldEnd()) {
              break;
            }
            String outcome = importOnce(file, tcpdump, run);
            if (outcome == null) {
              return run.finish(imported + " files from " + options.watch());
            }
            imported += outcome.equals("imported") ? 1 : 0;
          }
          sleep(POLL_MILLIS);
        }
      } finally {
        if (timer != null) {
          timer.shutdownNow();
        }
      }
      // --duration ending the watch is its normal end, not an interruption.
      int status = run.finish("from " + imported + " files of " + options.watch());
      return status;
    } catch (IOException e) {
      err.println("sluice import: " + e.getMessage());
      return ImportMain.EXIT_FAILED;
    }
  }

  /** The files not yet journaled, by name; dot-files, directories and links left alone. */
  private List<Path> newFiles() throws IOException {
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(options.watch())) {
      int looked = 0;
      for (Path entry : entries) {
        if (++looked > MAX_ENTRIES_PER_POLL) {
          break;
        }
        if (entry.getFileName().toString().startsWith(".")) {
          continue;
        }
        BasicFileAttributes attributes;
        try {
          attributes =
              Files.readAttributes(
                  entry, BasicFileAttributes.class, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
          continue; // moved away between the listing and now
        }
        if (!attributes.isRegularFile()) {
          continue;
        }
        String version = attributes.size() + "@" + attributes.lastModifiedTime().toMillis();
        if (version.equals(seen.get(entry))) {
          continue;
        }
        seen.put(entry, version);
        files.add(entry);
      }
    }
    files.sort(null);
    return files;
  }

  /** "imported", "rejected" or "known"; {@code null} when sends failed and the watch must end. */
  private String importOnce(Path file, Tcpdump tcpdump, PacketRun run) throws IOException {
    String hash = CaptureFiles.contentHash(file);
    if (journaled.contains(hash)) {
      return "known";
    }
    CaptureFiles.Kind kind;
    try {
      kind = CaptureFiles.kind(file);
    } catch (CaptureFiles.NotACapture e) {
      err.println("import: " + e.getMessage() + " (rejected, not tried again)");
      remember(hash, "rejected", file);
      return "rejected";
    }
    long failedBefore = run.sends().failed();
    long sentBefore = run.sender().parsed();
    try {
      FileImport.run(file, kind, tcpdump, options.zone(), run.sender());
    } catch (FileImport.TcpdumpFailed e) {
      err.println("import: " + e.getMessage() + " (rejected, not tried again)");
      run.sends().awaitOutcomes("packets");
      remember(hash, "rejected", file);
      return "rejected";
    }
    run.sends().awaitOutcomes("packets");
    if (run.sends().failed() > failedBefore) {
      err.println("import: " + file + ": sends failed; it is imported again after a restart");
      return null;
    }
    if (run.sends().stopRequested()) {
      // Cut short by a stop: not journaled, so the next run imports it whole.
      return "known";
    }
    remember(hash, "imported", file);
    err.println(
        "import: "
            + file
            + ": "
            + NumberText.grouped(run.sender().parsed() - sentBefore)
            + " packets sent");
    return "imported";
  }

  private void remember(String hash, String outcome, Path file) throws IOException {
    String line = hash + " " + outcome + " " + file.getFileName() + "\n";
    try (FileChannel channel =
        FileChannel.open(
            journal,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND,
            StandardOpenOption.WRITE)) {
      channel.write(java.nio.ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8)));
      channel.force(true);
    }
    journaled.add(hash);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
