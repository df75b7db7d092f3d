package dev.sluice.loadgen.packets;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.loadgen.NumberText;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;

/**
 * Imports packet captures into the {@code packets} topic: pcap and pcapng files (told by their
 * magic bytes, read through {@code tcpdump -nn -tttt -r}) and saved text output of {@code tcpdump
 * -nn -tttt} (with or without {@code -q} or {@code -v}), or, with {@code --watch DIR}, every
 * capture file that appears in a directory, once (see {@link WatchedDirectory}).
 *
 * <p>Run it through the launcher, which starts or finds the platform and sets {@code SLUICE_KAFKA}:
 *
 * <pre>
 * ./sluice import /usr/lib/python3/dist-packages/pathspider/tests/data/real.pcap
 * ./sluice import saved.txt --zone Europe/Berlin   # text captured where -tttt printed Berlin time
 * ./sluice import --watch /var/spool/captures       # until Ctrl-C; --duration S to stop by itself
 * </pre>
 *
 * <p>or directly: {@code SLUICE_KAFKA=127.0.0.1:19092 java -cp <sluice-loadgen classpath>
 * dev.sluice.loadgen.packets.ImportMain FILE...}. It prints to stderr, for example:
 *
 * <pre>
 * import: real.pcap: pcap, 5,631,368 bytes
 * import: 24,576 packets sent
 * import: sent 62,781 packets from 1 file to topic 'packets' in 6.1 s, 0 failed, 0 lines skipped
 * </pre>
 *
 * <p>Packet ids are {@code f-<first 128 bits of the file's SHA-256>-<ordinal>}: importing a file
 * twice sends the same ids, and the pipeline's deduplication keeps one of each.
 *
 * <p>Exit status: 0 when every packet was sent; 1 when a send failed; 2 for bad flags; 3 for a
 * missing or unreadable file; 4 for a file that is no capture; 5 when a pcap needs tcpdump and it
 * is not installed; 6 when tcpdump could not read a pcap to its end (the packets before were sent);
 * 130 after Ctrl-C, which first waits for Kafka's acknowledgements and prints the summary. Nothing
 * is sent unless every file is a capture.
 */
public final class ImportMain {
  public static final int EXIT_FAILED = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_NO_FILE = 3;
  public static final int EXIT_NOT_A_CAPTURE = 4;
  public static final int EXIT_NO_TCPDUMP = 5;
  public static final int EXIT_TCPDUMP_FAILED = 6;
  public static final int EXIT_INTERRUPTED = 130;

  static final String SYNOPSIS = "sluice import FILE... | sluice import --watch DIR";
  static final Flag<Path> WATCH =
      Flag.of(
          "--watch",
          Parser.path(),
          null,
          "import every capture file moved into DIR, once; runs until Ctrl-C or --duration");
  static final Flag<Integer> DURATION =
      Flag.of(
          "--duration",
          Parser.intBetween(1, Integer.MAX_VALUE),
          null,
          "with --watch: stop after S seconds (default: run until stopped)");
  static final Flag<ZoneId> ZONE =
      Flag.of(
          "--zone",
          Parser.of("a time zone, e.g. UTC or Europe/Berlin", ZoneId::of),
          "UTC",
          "the zone of a text capture's -tttt timestamps (pcap files carry UTC)");
  static final Flag<String> TOPIC = PacketRun.TOPIC;
  static final List<Flag<?>> FLAGS = List.of(WATCH, DURATION, ZONE, TOPIC);

  record Options(List<Path> files, Path watch, Integer duration, ZoneId zone, String topic) {}

  private ImportMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    System.exit(run(List.of(args), SluiceConfig.fromEnvironment(), System.err));
  }

  /** Parses and checks the command line; {@code null} when help was asked for. */
  static Options parse(List<String> args) {
    Flags parsed = Flags.parse(args, FLAGS);
    if (parsed.helpRequested()) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    Path watch = parsed.optional(WATCH).orElse(null);
    List<Path> files = parsed.positional().stream().map(Path::of).toList();
    if (watch == null && files.isEmpty()) {
      problems.add("expected the capture files to import, or --watch DIR");
    }
    if (watch != null && !files.isEmpty()) {
      problems.add("--watch imports a directory; it cannot be combined with files");
    }
    if (watch != null && !Files.isDirectory(watch)) {
      problems.add("--watch='" + watch + "' is not valid: no such directory");
    }
    if (watch == null && parsed.optional(DURATION).isPresent()) {
      problems.add("--duration bounds --watch; a file import ends by itself");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Options(
        files, watch, parsed.optional(DURATION).orElse(null), parsed.get(ZONE), parsed.get(TOPIC));
  }

  /**
   * Runs an import as {@code ./sluice import} does, in this JVM (an evaluation imports a capture
   * before it runs the pipeline); returns the exit status {@link #main} would exit with.
   */
  public static int run(List<String> args, SluiceConfig config, PrintStream err) {
    try {
      Options options = parse(args);
      if (options == null) {
        System.out.print(Flags.usage(SYNOPSIS, FLAGS));
        return 0;
      }
      return options.watch() != null
          ? new WatchedDirectory(options, config, err).run()
          : importFiles(options, config, err);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> err.println("sluice import: " + problem));
      return EXIT_USAGE;
    } catch (Tcpdump.Missing e) {
      err.println("sluice import: " + e.getMessage());
      return EXIT_NO_TCPDUMP;
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("sluice import: cannot use Kafka: " + cause.getMessage());
      return EXIT_FAILED;
    } catch (UncheckedIOException | IllegalStateException e) {
      err.println("sluice import: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static int importFiles(Options options, SluiceConfig config, PrintStream err)
      throws Tcpdump.Missing {
    // Every file is checked before anything is sent: a typo in the fifth name sends nothing.
    Map<Path, CaptureFiles.Kind> kinds = new LinkedHashMap<>();
    for (Path file : options.files()) {
      try {
        kinds.put(file, CaptureFiles.kind(file));
      } catch (CaptureFiles.NotACapture e) {
        err.println("sluice import: " + e.getMessage());
        return e.missing ? EXIT_NO_FILE : EXIT_NOT_A_CAPTURE;
      }
    }
    Tcpdump tcpdump =
        kinds.values().stream().anyMatch(k -> k != CaptureFiles.Kind.TEXT) ? Tcpdump.find() : null;
    String bootstrap = config.requireKafka();
    try (PacketRun run =
        new PacketRun(
            "import", bootstrap, options.topic(), config.partitions(PacketRun.PACKETS), err)) {
      int files = 0;
      for (Map.Entry<Path, CaptureFiles.Kind> entry : kinds.entrySet()) {
        if (run.stopped()) {
          break;
        }
        Path file = entry.getKey();
        err.println(
            "import: "
                + file
                + ": "
                + entry.getValue().name().toLowerCase(java.util.Locale.ROOT)
                + ", "
                + NumberText.grouped(Files.size(file))
                + " bytes");
        try {
          FileImport.run(file, entry.getValue(), tcpdump, options.zone(), run.sender());
          files++;
        } catch (FileImport.TcpdumpFailed e) {
          run.finish(from(files, kinds.size()));
          err.println("sluice import: " + e.getMessage());
          return EXIT_TCPDUMP_FAILED;
        }
      }
      int status = run.finish(from(files, kinds.size()));
      return run.stopped() && status == 0 ? EXIT_INTERRUPTED : status;
    } catch (IOException e) {
      err.println("sluice import: " + e.getMessage());
      return EXIT_FAILED;
    }
  }

  private static String from(int done, int total) {
    return "from "
        + done
        + (done == total ? "" : " of " + total)
        + (total == 1 ? " file" : " files");
  }
}
