package dev.sluice.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Everything a command started, stopped in reverse order when the command ends or the user presses
 * Ctrl-C: producers before the pipeline, the pipeline before the database it writes to.
 */
final class Session implements AutoCloseable {
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Thread hook = new Thread(this::stopAll, "sluice-shutdown");
  private volatile boolean stopping;

  Session() {
    Runtime.getRuntime().addShutdownHook(hook);
  }

  synchronized <T extends AutoCloseable> T add(T resource) {
    started.push(resource);
    return resource;
  }

  ChildProcess add(ChildProcess child, long graceSeconds) {
    add(() -> child.stop(graceSeconds));
    return child;
  }

  boolean isStopping() {
    return stopping;
  }

  private synchronized void stopAll() {
    stopping = true;
    while (!started.isEmpty()) {
      try {
        started.pop().close();
      } catch (Exception e) {
        Console.error("while stopping: " + e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    stopAll();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // already shutting down: the hook is running or has run
    }
  }
}
