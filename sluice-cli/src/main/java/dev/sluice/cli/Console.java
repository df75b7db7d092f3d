package dev.sluice.cli;

/** What the launcher tells its user: one line each, on stderr, so stdout stays for results. */
final class Console {
  private Console() {}

  static void info(String message) {
    System.err.println("sluice: " + message);
  }

  static void warn(String message) {
    System.err.println("sluice: warning: " + message);
  }

  static void error(String message) {
    System.err.println("sluice: error: " + message);
  }
}
