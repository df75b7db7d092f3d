package dev.sluice.loadgen.packets;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How Sluice runs tcpdump: found on the {@code PATH} or in {@code /usr/sbin} (Debian puts it there,
 * outside a normal user's {@code PATH}), started without a shell, its arguments checked, and with
 * {@code TZ=UTC0} so that {@code -tttt} prints UTC and the packets' epoch times do not depend on
 * the machine's zone.
 */
final class Tcpdump {
  static final String INSTALL = "apt-get install tcpdump";

  /** Interface names as Linux allows them (at most 15 characters), never an option. */
  private static final Pattern INTERFACE = Pattern.compile("[A-Za-z0-9_.:@][A-Za-z0-9_.:@-]{0,14}");

  /**
   * What a BPF expression is made of; no quotes, no shell characters, nothing tcpdump reads as a
   * file.
   */
  private static final Pattern FILTER_WORD =
      Pattern.compile("[A-Za-z0-9_.:/!<>=()&|\\[\\]+*%^~-]{1,100}");

  private static final int MAX_FILTER_WORDS = 64;

  /** tcpdump is not installed. */
  static final class Missing extends Exception {
    Missing() {
      super("tcpdump is not installed (Debian package 'tcpdump': " + INSTALL + ")");
    }
  }

  private final Path executable;

  private Tcpdump(Path executable) {
    this.executable = executable;
  }

  static Tcpdump find() throws Missing {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(List.of(path.split(File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin"));
    for (String dir : dirs) {
      if (dir.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(dir, "tcpdump");
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return new Tcpdump(candidate);
      }
    }
    throw new Missing();
  }

  /** {@code tcpdump -nn -tttt -r FILE}: a pcap or pcapng file as text. */
  ProcessBuilder read(Path capture) {
    return utc(
        new ProcessBuilder(
            executable.toString(), "-nn", "-tttt", "-r", capture.toAbsolutePath().toString()));
  }

  /**
   * {@code tcpdump -nn -tttt -l -i IF [-- FILTER...]}: a live capture, one line per packet as it
   * comes.
   */
  ProcessBuilder capture(String iface, List<String> filter) {
    List<String> command =
        new ArrayList<>(List.of(executable.toString(), "-nn", "-tttt", "-l", "-i", iface));
    if (!filter.isEmpty()) {
      // "--" ends tcpdump's options: a filter word can never be read as one (-w FILE...).
      command.add("--");
      command.addAll(filter);
    }
    return utc(new ProcessBuilder(command));
  }

  private static ProcessBuilder utc(ProcessBuilder builder) {
    builder.environment().put("TZ", "UTC0");
    builder.environment().put("LC_ALL", "C");
    return builder;
  }

  /** A problem with the interface's name, or empty. */
  static Optional<String> interfaceProblem(String iface) {
    return INTERFACE.matcher(iface).matches()
        ? Optional.empty()
        : Optional.of(
            "--iface='"
                + iface
                + "' is not valid: expected an interface name (1 to 15 of A-Z a-z 0-9 _ . : @ -, not starting with -), e.g. lo");
  }

  /**
   * The filter expression split into tcpdump's arguments, or a problem: words of BPF characters
   * only, none starting with {@code -}, at most {@value #MAX_FILTER_WORDS}.
   */
  static List<String> filterWords(String filter, List<String> problems) {
    List<String> words = List.of(filter.strip().split("\\s+"));
    if (filter.isBlank()) {
      return List.of();
    }
    if (words.size() > MAX_FILTER_WORDS) {
      problems.add("--filter has " + words.size() + " words, more than " + MAX_FILTER_WORDS);
      return List.of();
    }
    for (String word : words) {
      if (!FILTER_WORD.matcher(word).matches() || (word.startsWith("-") && word.length() > 1)) {
        problems.add(
            "--filter word '"
                + dev.sluice.core.records.StorableText.abbreviate(word, 40)
                + "' is not valid: a BPF expression is words of A-Z a-z 0-9 and . : / ! < > = ( ) & | [ ] + * % ^ ~ -, none starting with -, e.g. --filter 'tcp port 80'");
        return List.of();
      }
    }
    return words;
  }

  /** Whether this process may capture: root, or CAP_NET_RAW in its effective capabilities. */
  static boolean mayCapture() {
    try {
      for (String line :
          Files.readAllLines(Path.of("/proc/self/status"), StandardCharsets.US_ASCII)) {
        if (line.startsWith("CapEff:")) {
          long effective =
              Long.parseUnsignedLong(line.substring(7).strip().toLowerCase(Locale.ROOT), 16);
          long netRaw = 1L << 13;
          return (effective & netRaw) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }
}
