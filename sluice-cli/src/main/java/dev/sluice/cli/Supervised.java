package dev.sluice.cli;

import java.util.function.Supplier;

/**
 * A child process that is started again whenever it dies, until the launcher stops. For the
 * pipeline this is safe by design: it resumes from its checkpoint and counts nothing twice.
 */
final class Supervised implements AutoCloseable {
  private static final long FIRST_BACKOFF_MS = 2_000;
  private static final long MAX_BACKOFF_MS = 30_000;

  /** A child that ran this long before dying was healthy; its next failure starts a new backoff. */
  private static final long HEALTHY_RUN_MS = 60_000;

  private final String name;
  private final Supplier<ChildProcess> factory;
  private final Session session;
  private final Thread thread;
  private volatile boolean closed;
  private volatile ChildProcess current;
  private volatile int restarts;

  Supervised(String name, Supplier<ChildProcess> factory, Session session) {
    this.name = name;
    this.factory = factory;
    this.session = session;
    this.thread = new Thread(this::superviseLoop, "supervise-" + name);
    this.thread.setDaemon(true);
  }

  Supervised start() {
    current = factory.get().start();
    thread.start();
    return this;
  }

  private void superviseLoop() {
    long backoff = FIRST_BACKOFF_MS;
    while (!closed) {
      long startedAt = System.currentTimeMillis();
      int code;
      try {
        code = current.waitFor();
        // Ctrl-C reaches the launcher a moment later than a child may die of it.
        Thread.sleep(backoff);
      } catch (InterruptedException e) {
        return;
      }
      if (closed || session.isStopping()) {
        return;
      }
      backoff =
          System.currentTimeMillis() - startedAt > HEALTHY_RUN_MS
              ? FIRST_BACKOFF_MS
              : Math.min(backoff * 2, MAX_BACKOFF_MS);
      restarts++;
      Console.info(
          "the "
              + name
              + " exited with code "
              + code
              + "; restarting it, its queries resume from their checkpoints (restart "
              + restarts
              + ")");
      current = factory.get().start();
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    ChildProcess child = current;
    if (child != null) {
      child.stop(30);
    }
  }
}
