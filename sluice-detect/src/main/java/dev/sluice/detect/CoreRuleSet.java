package dev.sluice.detect;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Where the OWASP Core Rule Set is installed and how to load it at a paranoia level: the setup
 * file, then every request rule file in name order, as Debian's {@code owasp-crs.load} includes
 * them. Response rules are left out: Sluice sees requests only.
 *
 * @param setupFile {@code crs-setup.conf}
 * @param rulesDirectory the directory of {@code REQUEST-*.conf} files and their {@code .data} lists
 */
public record CoreRuleSet(Path setupFile, Path rulesDirectory) {
  /** Debian's {@code modsecurity-crs} package. */
  public static final CoreRuleSet DEBIAN =
      new CoreRuleSet(
          Path.of("/etc/modsecurity/crs/crs-setup.conf"),
          Path.of("/usr/share/modsecurity-crs/rules"));

  /** A file whose absence means the package is not installed. */
  List<Path> requiredFiles() {
    return List.of(setupFile, rulesDirectory.resolve("REQUEST-942-APPLICATION-ATTACK-SQLI.conf"));
  }

  /**
   * The engine settings loaded before the rule set. The engine must be On for the blocking
   * evaluation to ask for an intervention; bodies are read so form fields become ARGS.
   */
  static String directives(int paranoiaLevel) {
    if (paranoiaLevel < 1 || paranoiaLevel > 4) {
      throw new IllegalArgumentException("paranoia level must be 1 to 4, got " + paranoiaLevel);
    }
    return String.join(
        "\n",
        "SecRuleEngine On",
        "SecRequestBodyAccess On",
        "SecRequestBodyLimit 1048576",
        "SecRequestBodyNoFilesLimit 1048576",
        "SecRequestBodyLimitAction ProcessPartial",
        "SecAuditEngine Off",
        "");
  }

  /** The directive that sets the paranoia level; {@code crs-setup.conf} leaves it to the user. */
  static String paranoia(int paranoiaLevel) {
    return "SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level="
        + paranoiaLevel
        + "\"\n";
  }

  /** The request rule files, in the order the rule set's numbering requires. */
  List<Path> requestRuleFiles() {
    try (Stream<Path> files = Files.list(rulesDirectory)) {
      return files
          .filter(f -> f.getFileName().toString().startsWith("REQUEST-"))
          .filter(f -> f.getFileName().toString().endsWith(".conf"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + rulesDirectory, e);
    }
  }

  /**
   * The request rule files whose matches can become findings, in order: the initialization ({@code
   * 901}, which sets the paranoia level every file checks) and the files of the attack classes
   * {@link AttackKind} names ({@code 921}, {@code 930} to {@code 934}, {@code 941} to {@code 944}).
   * The others (exclusion packages, IP reputation, method enforcement, DoS, scanners, protocol
   * enforcement, multipart, blocking evaluation) add only anomaly scores, {@code ip.*} counters and
   * {@code tx} settings that no attack rule reads; {@code docs/security-detection.md} ("Speed")
   * gives the check and the measurement.
   */
  List<Path> attackRuleFiles() {
    return requestRuleFiles().stream()
        .filter(
            file -> {
              String number = fileNumber(file);
              return number.equals(INITIALIZATION) || AttackKind.isAttackRuleFile(number);
            })
        .toList();
  }

  private static final String INITIALIZATION = "901";

  /** {@code 942} for {@code REQUEST-942-APPLICATION-ATTACK-SQLI.conf}, {@code 903} for 903.9001. */
  static String fileNumber(Path file) {
    String name = file.getFileName().toString();
    int start = name.indexOf('-') + 1;
    int end = start;
    while (end < name.length() && Character.isDigit(name.charAt(end))) {
      end++;
    }
    return name.substring(start, end);
  }

  /** Compiles the whole rule set (every request rule file) at {@code paranoiaLevel}. */
  public ModSecurityEngine load(int paranoiaLevel) {
    NativeEngines.requireInstalled(this);
    return load(paranoiaLevel, requestRuleFiles());
  }

  /**
   * Compiles only the {@link #attackRuleFiles() files whose matches can become findings}: the same
   * findings as {@link #load}, in about two thirds of the time, but no anomaly score and no block.
   */
  public ModSecurityEngine loadAttackRules(int paranoiaLevel) {
    NativeEngines.requireInstalled(this);
    return load(paranoiaLevel, attackRuleFiles());
  }

  private ModSecurityEngine load(int paranoiaLevel, List<Path> ruleFiles) {
    List<Path> files = new ArrayList<>();
    files.add(setupFile);
    files.addAll(ruleFiles);
    return ModSecurityEngine.load(directives(paranoiaLevel) + paranoia(paranoiaLevel), files);
  }
}
