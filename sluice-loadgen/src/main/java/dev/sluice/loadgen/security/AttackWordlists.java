package dev.sluice.loadgen.security;

import dev.sluice.loadgen.DatasetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The real attack payloads and user agents the simulator sends: wfuzz's injection wordlists and
 * sqlmap's user agents, as Debian installs them. Only complete payloads are kept: the lists mix
 * attacks with fragments that are no attack on their own (a lone quote, {@code select}), and a
 * fragment sent as an "attack" would make the ground truth claim an attack a detector is right to
 * ignore.
 *
 * <ul>
 *   <li>{@code sqli}: entries of {@code SQL.txt} of at least 6 characters with a symbol (not only
 *       letters, digits and spaces) that either hold an SQL keyword ({@code or and select union
 *       insert delete drop exec like sleep waitfor having utl_http}, not inside a longer word) or
 *       close a quote into a comment ({@code admin'--}).
 *   <li>{@code xss}: every entry of {@code XSS.txt}.
 *   <li>{@code traversal}: every entry of {@code Traversal.txt}.
 *   <li>{@code cmdi}: wfuzz has no list of its own; entries of {@code All_attack.txt} that chain a
 *       shell command ({@code ; | ` $(}) with one of {@code id ls dir cat netstat read sleep} or a
 *       program under {@code /bin/}, and hold no markup ({@code <}).
 * </ul>
 */
public record AttackWordlists(Map<AttackClass, List<String>> payloads, List<String> userAgents) {
  public static final Path DEBIAN_INJECTIONS = Path.of("/usr/share/wfuzz/wordlist/Injections");
  public static final Path DEBIAN_USER_AGENTS =
      Path.of("/usr/share/sqlmap/data/txt/user-agents.txt");

  private static final Pattern SQL_KEYWORD =
      Pattern.compile(
          "(?<![a-z])(or|and|select|union|insert|delete|drop|exec|like|sleep|waitfor|having"
              + "|utl_http)(?![a-z])");
  private static final Pattern SQL_QUOTE_THEN_COMMENT = Pattern.compile("['\"]\\s*(--|#)");
  private static final Pattern SHELL_CHAIN = Pattern.compile("[;|`]|\\$\\(");
  private static final Pattern SHELL_COMMAND =
      Pattern.compile("(?<![a-z])(id|ls|dir|cat|netstat|read|sleep|/bin/[a-z]+)(?![a-z])");

  public AttackWordlists {
    payloads = Map.copyOf(payloads);
    userAgents = List.copyOf(userAgents);
  }

  /** The lists where Debian's {@code wfuzz} and {@code sqlmap} packages put them. */
  public static AttackWordlists debian() {
    return load(DEBIAN_INJECTIONS, DEBIAN_USER_AGENTS);
  }

  /**
   * @throws DatasetException when a list is missing or unreadable, naming the package to install
   */
  public static AttackWordlists load(Path injections, Path userAgentsFile) {
    Map<AttackClass, List<String>> payloads = new EnumMap<>(AttackClass.class);
    payloads.put(
        AttackClass.SQLI,
        lines(injections.resolve("SQL.txt"), "wfuzz").stream()
            .filter(AttackWordlists::isCompleteSql)
            .toList());
    payloads.put(AttackClass.XSS, lines(injections.resolve("XSS.txt"), "wfuzz"));
    payloads.put(AttackClass.TRAVERSAL, lines(injections.resolve("Traversal.txt"), "wfuzz"));
    payloads.put(
        AttackClass.CMDI,
        lines(injections.resolve("All_attack.txt"), "wfuzz").stream()
            .filter(AttackWordlists::isCommandInjection)
            .toList());
    for (Map.Entry<AttackClass, List<String>> entry : payloads.entrySet()) {
      if (entry.getValue().isEmpty()) {
        throw new DatasetException(
            "no " + entry.getKey().wire() + " payloads in " + injections + "; reinstall wfuzz");
      }
    }
    List<String> agents =
        lines(userAgentsFile, "sqlmap").stream().filter(line -> !line.startsWith("#")).toList();
    if (agents.isEmpty()) {
      throw new DatasetException("no user agents in " + userAgentsFile + "; reinstall sqlmap");
    }
    return new AttackWordlists(payloads, agents);
  }

  public List<String> payloads(AttackClass attack) {
    return payloads.getOrDefault(attack, List.of());
  }

  /** Every payload the simulator may send, of every class. */
  public Set<String> allPayloads() {
    Set<String> all = new LinkedHashSet<>();
    payloads.values().forEach(all::addAll);
    return all;
  }

  static boolean isCompleteSql(String entry) {
    String lower = entry.toLowerCase(Locale.ROOT);
    boolean symbol = lower.chars().anyMatch(c -> !Character.isLetterOrDigit(c) && c != ' ');
    return entry.length() >= 6
        && symbol
        && (SQL_KEYWORD.matcher(lower).find() || SQL_QUOTE_THEN_COMMENT.matcher(lower).find());
  }

  static boolean isCommandInjection(String entry) {
    String lower = entry.toLowerCase(Locale.ROOT);
    // Markup with a ";" and an "ID=" attribute is cross-site scripting, not a shell command.
    return entry.indexOf('<') < 0
        && SHELL_CHAIN.matcher(lower).find()
        && SHELL_COMMAND.matcher(lower).find();
  }

  /** The non-blank lines exactly as written (without the CR of CRLF), each once, in file order. */
  private static List<String> lines(Path file, String debianPackage) {
    if (!Files.isRegularFile(file)) {
      throw new DatasetException(
          file
              + " is missing: the sensor simulator takes its attacks and user agents from Debian's"
              + " wfuzz and sqlmap; install them with: apt-get install -y --no-install-recommends "
              + debianPackage);
    }
    try {
      // The lists are ASCII with a few Latin-1 bytes; ISO-8859-1 reads any byte as a character.
      List<String> read = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
      Set<String> unique = new LinkedHashSet<>();
      for (String line : read) {
        if (!line.isBlank()) {
          unique.add(line);
        }
      }
      return new ArrayList<>(unique);
    } catch (IOException e) {
      throw new DatasetException("cannot read " + file + ": " + e.getMessage(), e);
    }
  }
}
