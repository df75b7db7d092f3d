package dev.sluice.core.process;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** Timers for background chores (progress lines, heartbeats) that never keep a process alive. */
public final class Schedulers {
  private Schedulers() {}

  /** A scheduler of one daemon thread with this name, so a stack dump says what it is. */
  public static ScheduledExecutorService daemon(String threadName) {
    return Executors.newSingleThreadScheduledExecutor(
        task -> {
          Thread thread = new Thread(task, threadName);
          thread.setDaemon(true);
          return thread;
        });
  }
}
