package dev.sluice.loadgen.packets;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.core.process.Schedulers;
import dev.sluice.core.security.TcpdumpLines;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.KafkaException;

/**
 * Captures live packets with {@code tcpdump -nn -tttt -l -i IF [FILTER]} and streams them into the
 * {@code packets} topic as they come, until {@code --duration} ends, Ctrl-C or SIGTERM; each way it
 * waits for Kafka's acknowledgements and prints the same summary. Capturing needs root or the
 * CAP_NET_RAW capability; without them it says so and starts nothing.
 *
 * <p>Run it through the launcher, which starts or finds the platform and sets {@code SLUICE_KAFKA}:
 *
 * <pre>
 * sudo ./sluice capture --iface lo --duration 10
 * sudo ./sluice capture --iface eth0 --filter 'tcp port 443 or udp port 53'
 * </pre>
 *
 * <p>It prints to stderr, for example:
 *
 * <pre>
 * capture: tcpdump -nn -tttt -l -i lo, packets to topic 'packets' for 10 s
 * capture: tcpdump: listening on lo, link-type EN10MB (Ethernet), snapshot length 262144 bytes
 * capture: 112 packets sent
 * capture: sent 130 packets from lo to topic 'packets' in 10.0 s, 0 failed, 1 line skipped (blank 1)
 * </pre>
 *
 * <p>The filter is split into words and given to tcpdump as arguments after {@code --}, never to a
 * shell. Packet ids are {@code c-<host>-<capture start, epoch ms>-<ordinal>}.
 *
 * <p>Exit status: 0 when every packet was sent; 1 when a send failed; 2 for bad flags; 5 when
 * tcpdump is not installed; 6 when tcpdump failed (a bad filter, no such interface: its message is
 * shown); 7 without root or CAP_NET_RAW; 130 after Ctrl-C or SIGTERM.
 */
public final class CaptureMain {
  public static final int EXIT_NOT_PERMITTED = 7;

  static final String SYNOPSIS = "sluice capture --iface IF [--filter EXPR] [--duration S]";
  static final Flag<String> IFACE =
      Flag.of(
          "--iface",
          Parser.nonBlank("an interface name, e.g. lo"),
          null,
          "the interface to capture on (required)");
  static final Flag<String> FILTER =
      Flag.of(
          "--filter",
          Parser.nonBlank("a BPF expression, e.g. 'tcp port 80'"),
          null,
          "tcpdump's filter expression");
  static final Flag<Integer> DURATION =
      Flag.of(
          "--duration",
          Parser.intBetween(1, Integer.MAX_VALUE),
          null,
          "stop after S seconds (default: run until Ctrl-C or SIGTERM)");
  static final Flag<String> TOPIC = PacketRun.TOPIC;
  static final List<Flag<?>> FLAGS = List.of(IFACE, FILTER, DURATION, TOPIC);

  record Options(String iface, List<String> filter, Integer duration, String topic) {}

  private CaptureMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    System.exit(run(List.of(args), SluiceConfig.fromEnvironment(), System.err));
  }

  static Options parse(List<String> args) {
    Flags parsed = Flags.parse(args, FLAGS);
    if (parsed.helpRequested()) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    if (!parsed.positional().isEmpty()) {
      problems.add(
          "unexpected argument(s) "
              + String.join(" ", parsed.positional())
              + " (a filter goes in --filter 'EXPR')");
    }
    String iface = parsed.optional(IFACE).orElse(null);
    if (iface == null) {
      problems.add("--iface is required, e.g. --iface lo");
    } else {
      Tcpdump.interfaceProblem(iface).ifPresent(problems::add);
    }
    List<String> filter = Tcpdump.filterWords(parsed.optional(FILTER).orElse(""), problems);
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Options(iface, filter, parsed.optional(DURATION).orElse(null), parsed.get(TOPIC));
  }

  static int run(List<String> args, SluiceConfig config, PrintStream err) {
    try {
      Options options = parse(args);
      if (options == null) {
        System.out.print(Flags.usage(SYNOPSIS, FLAGS));
        return 0;
      }
      Tcpdump tcpdump = Tcpdump.find();
      if (!Tcpdump.mayCapture()) {
        err.println(
            "sluice capture: capturing packets needs root or the CAP_NET_RAW capability, and this"
                + " process has neither: run it as root (sudo ./sluice capture ...), or import a"
                + " capture made elsewhere with ./sluice import FILE");
        return EXIT_NOT_PERMITTED;
      }
      return capture(options, tcpdump, config, err);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> err.println("sluice capture: " + problem));
      return ImportMain.EXIT_USAGE;
    } catch (Tcpdump.Missing e) {
      err.println("sluice capture: " + e.getMessage());
      return ImportMain.EXIT_NO_TCPDUMP;
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("sluice capture: cannot use Kafka: " + cause.getMessage());
      return ImportMain.EXIT_FAILED;
    } catch (UncheckedIOException | IllegalStateException e) {
      err.println("sluice capture: " + e.getMessage());
      return ImportMain.EXIT_FAILED;
    }
  }

  private static int capture(
      Options options, Tcpdump tcpdump, SluiceConfig config, PrintStream err) {
    String bootstrap = config.requireKafka();
    long start = System.currentTimeMillis();
    String prefix = "c-" + host() + "-" + start;
    try (PacketRun run =
        new PacketRun(
            "capture", bootstrap, options.topic(), config.partitions(PacketRun.PACKETS), err)) {
      ProcessBuilder builder = tcpdump.capture(options.iface(), options.filter());
      err.println(
          "capture: tcpdump "
              + String.join(" ", builder.command().subList(1, builder.command().size()))
              + ", packets to topic '"
              + options.topic()
              + "'"
              + (options.duration() != null ? " for " + options.duration() + " s" : ""));
      Process process = builder.start();
      // Process.destroy() would also close tcpdump's output, losing the lines it flushes on
      // SIGTERM;
      // the handle only sends the signal, and the output then ends by itself.
      ProcessHandle handle = process.toHandle();
      run.onStop(handle::destroy);
      List<String> tcpdumpSaid = new ArrayList<>();
      Thread echo = echo(process, err, tcpdumpSaid);
      ScheduledExecutorService timer = Schedulers.daemon("capture-duration");
      if (options.duration() != null) {
        // The duration ends tcpdump (SIGTERM: it flushes its last lines); the lines then end.
        timer.schedule(handle::destroy, options.duration(), TimeUnit.SECONDS);
      }
      try (InputStream out = process.getInputStream()) {
        run.sender()
            .send(
                new BoundedLines(out, StandardCharsets.UTF_8),
                new TcpdumpLines(ZoneOffset.UTC, prefix),
                options.iface());
      } finally {
        timer.shutdownNow();
        handle.destroy();
      }
      int code = process.waitFor();
      echo.join(TimeUnit.SECONDS.toMillis(5));
      int status = run.finish("from " + options.iface());
      // tcpdump ended by our SIGTERM (143) or by the terminal's Ctrl-C (130) is the normal end.
      boolean ended = code == 0 || code == 143 || code == 130 || run.stopped();
      if (!ended && run.sender().parsed() == 0) {
        synchronized (tcpdumpSaid) {
          err.println(
              "sluice capture: tcpdump exited with "
                  + code
                  + ": "
                  + String.join(" / ", tcpdumpSaid));
        }
        return ImportMain.EXIT_TCPDUMP_FAILED;
      }
      return run.stopped() && status == 0 ? ImportMain.EXIT_INTERRUPTED : status;
    } catch (IOException e) {
      err.println("sluice capture: cannot run tcpdump: " + e.getMessage());
      return ImportMain.EXIT_FAILED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return ImportMain.EXIT_INTERRUPTED;
    }
  }

  /** Shows tcpdump's messages (its banner, a filter's syntax error) as they come. */
  private static Thread echo(Process process, PrintStream err, List<String> kept) {
    Thread thread =
        new Thread(
            () -> {
              try (InputStream in = process.getErrorStream()) {
                BoundedLines lines = new BoundedLines(in, StandardCharsets.UTF_8);
                for (String line = lines.next(); line != null; line = lines.next()) {
                  String shown = dev.sluice.core.records.StorableText.abbreviate(line, 300);
                  err.println("capture: tcpdump: " + shown);
                  synchronized (kept) {
                    if (kept.size() < 20) {
                      kept.add(shown);
                    }
                  }
                }
              } catch (IOException e) {
                // tcpdump is gone.
              }
            },
            "tcpdump-stderr");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }

  /** This machine's name from the kernel, never from DNS; letters, digits, '.' and '-' only. */
  static String host() {
    String name;
    try {
      name =
          Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.US_ASCII).strip();
    } catch (IOException | UncheckedIOException e) {
      name = System.getenv().getOrDefault("HOSTNAME", "host");
    }
    name = name.replaceAll("[^A-Za-z0-9.-]", "-");
    if (name.isEmpty()) {
      name = "host";
    }
    return name.length() > 63 ? name.substring(0, 63) : name;
  }
}
