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

  /** Compiles the rule set at {@code paranoiaLevel} into a new engine. */
  public ModSecurityEngine load(int paranoiaLevel) {
    NativeEngines.requireInstalled(this);
    List<Path> files = new ArrayList<>();
    files.add(setupFile);
    files.addAll(requestRuleFiles());
    return ModSecurityEngine.load(directives(paranoiaLevel) + paranoia(paranoiaLevel), files);
  }
}
