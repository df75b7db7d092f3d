package dev.sluice.core.process;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** How every Sluice launcher and test stops a child process. */
public final class Processes {
  private static final long KILL_WAIT_SECONDS = 10;

  private Processes() {}

  /**
   * SIGTERM, so the process runs its shutdown hooks and stops cleanly; SIGKILL if it has not exited
   * within the grace period.
   *
   * @return whether it exited within the grace period, that is, cleanly
   */
  public static boolean stop(Process process, Duration grace) {
    if (!process.isAlive()) {
      return true;
    }
    process.destroy();
    try {
      if (process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      process.destroyForcibly().waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
    return false;
  }
}
