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
   * The request rule files whose matches can become findings, in order: those of the attack classes
   * {@link AttackKind} names ({@code 921}, {@code 930} to {@code 934}, {@code 941} to {@code 944}).
   * The others (initialization, exclusion packages, IP reputation, method enforcement, DoS,
   * scanners, protocol enforcement, multipart, blocking evaluation) add only anomaly scores, {@code
   * ip.*} counters and {@code tx} settings that no attack rule reads; {@link #attackInitialization}
   * sets the few the attack rules do read. {@code docs/security-detection.md} ("Speed") gives the
   * check and the measurement.
   */
  List<Path> attackRuleFiles() {
    return requestRuleFiles().stream()
        .filter(file -> AttackKind.isAttackRuleFile(fileNumber(file)))
        .toList();
  }

  /**
   * What the attack rules read of the initialization file ({@code 901}), set once: the paranoia
   * level they run at ({@code tx.executing_paranoia_level}, which each file compares to skip the
   * higher levels) and the scores their {@code setvar} actions add (901's defaults). Nothing else
   * of 901 is read by an attack rule: its other settings serve protocol enforcement, IP reputation
   * and sampling, its collections ({@code ip}, {@code global}) serve reputation and DoS counting.
   */
  static String attackInitialization(int paranoiaLevel) {
    return "SecAction \"id:900001,phase:1,nolog,pass,t:none"
        + ",setvar:tx.executing_paranoia_level="
        + paranoiaLevel
        + ",setvar:tx.critical_anomaly_score=5,setvar:tx.error_anomaly_score=4"
        + ",setvar:tx.warning_anomaly_score=3,setvar:tx.notice_anomaly_score=2\"\n";
  }

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
    return load(directives(paranoiaLevel) + paranoia(paranoiaLevel), requestRuleFiles());
  }

  /**
   * Compiles only the {@link #attackRuleFiles() files whose matches can become findings}: the same
   * findings as {@link #load}, in about two thirds of the time, but no anomaly score and no block.
   */
  public ModSecurityEngine loadAttackRules(int paranoiaLevel) {
    NativeEngines.requireInstalled(this);
    return load(
        directives(paranoiaLevel) + paranoia(paranoiaLevel) + attackInitialization(paranoiaLevel),
        attackRuleFiles());
  }

  private ModSecurityEngine load(String directives, List<Path> ruleFiles) {
    List<Path> files = new ArrayList<>();
    files.add(setupFile);
    files.addAll(ruleFiles);
    return ModSecurityEngine.load(directives, files);
  }
}
