package dev.sluice.detect;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the native detection engines are installed: Debian's {@code libmodsecurity3} (ModSecurity
 * and libinjection) and {@code modsecurity-crs} (the OWASP Core Rule Set). The security pipeline
 * calls {@link #requireInstalled()} before it starts and refuses to start with its message; nothing
 * else in Sluice loads this module.
 */
public final class NativeEngines {
  /** The one command that installs everything this module needs. */
  public static final String INSTALL_COMMAND = "apt-get install libmodsecurity3 modsecurity-crs";

  private NativeEngines() {}

  /** Thrown when an engine is missing; the message says what was looked for and how to install. */
  public static final class MissingEngineException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    MissingEngineException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Loads the library and checks the rule set at its Debian paths.
   *
   * @throws MissingEngineException naming the missing file and {@link #INSTALL_COMMAND}
   */
  public static void requireInstalled() {
    requireInstalled(CoreRuleSet.DEBIAN);
  }

  /** Loads the library and checks that {@code ruleSet}'s files exist. */
  public static void requireInstalled(CoreRuleSet ruleSet) {
    requireLibrary();
    for (Path file : ruleSet.requiredFiles()) {
      if (!Files.isRegularFile(file)) {
        throw new MissingEngineException(
            "the OWASP Core Rule Set is missing: "
                + file
                + " does not exist; install it with: "
                + INSTALL_COMMAND,
            null);
      }
    }
  }

  /** Loads {@code libmodsecurity.so.3}, once per JVM. */
  static void requireLibrary() {
    try {
      ModSecurityLibrary.load();
    } catch (UnsatisfiedLinkError e) {
      throw new MissingEngineException(
          "libmodsecurity is missing: the dynamic loader found no "
              + ModSecurityLibrary.SONAME
              + " (on Debian /usr/lib/x86_64-linux-gnu/"
              + ModSecurityLibrary.SONAME
              + "); install it with: "
              + INSTALL_COMMAND,
          e);
    }
  }
}
