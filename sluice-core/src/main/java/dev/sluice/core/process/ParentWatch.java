package dev.sluice.core.process;

import java.util.Optional;

/**
 * Ends a child process when the process that started it is gone, so a killed launcher or test run
 * never leaves a broker, database or pipeline behind. The exit runs shutdown hooks, which stop the
 * embedded services cleanly.
 */
public final class ParentWatch {
  public static final String PARENT_PID_ENV = "SLUICE_PARENT_PID";

  private ParentWatch() {}

  /** Starts watching when this process was started by a Sluice launcher; otherwise does nothing. */
  public static void exitWhenParentDies() {
    String pid = System.getenv(PARENT_PID_ENV);
    if (pid == null || pid.isBlank()) {
      return;
    }
    Optional<ProcessHandle> parent;
    try {
      parent = ProcessHandle.of(Long.parseLong(pid.strip()));
    } catch (NumberFormatException e) {
      return;
    }
    if (parent.isEmpty()) {
      System.exit(3);
    }
    Thread watcher =
        new Thread(
            () -> {
              parent.get().onExit().join();
              System.err.println("sluice: parent process " + pid + " is gone; stopping");
              System.exit(3);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
