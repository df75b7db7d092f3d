package dev.sluice.cli;

import dev.sluice.core.process.ExitStatus;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * A child process that is started again when it dies and may recover, until the launcher stops. For
 * the pipeline this is safe by design: it resumes from its checkpoint and counts nothing twice.
 *
 * <p>What an exit means is the pipeline's contract: 0 finished, 2 bad flags or configuration, 3 a
 * permanent error (a missing model, a schema mismatch...), anything else (1, a signal) may recover.
 * A child that finished is not started again. One that exits 2 or 3 is started again at most
 * {@value #PERMANENT_RETRIES} times in a row (the cause may have been fixed meanwhile, e.g. a model
 * trained), then left stopped with the reason printed: restarting it for ever would only fill its
 * log with the same error.
 */
final class Supervised implements AutoCloseable {
  static final int PERMANENT_RETRIES = 3;

  /** What an exit code says about starting the child again. */
  enum Exit {
    FINISHED("it finished"),
    BAD_CONFIGURATION("bad flags or configuration"),
    PERMANENT_ERROR("a permanent error, such as a missing model or a schema mismatch"),
    MAY_RECOVER("a failure it may recover from");

    final String meaning;

    Exit(String meaning) {
      this.meaning = meaning;
    }

    static Exit of(int code) {
      return switch (code) {
        case ExitStatus.OK -> FINISHED;
        case ExitStatus.BAD_CONFIGURATION -> BAD_CONFIGURATION;
        case ExitStatus.PERMANENT_FAILURE -> PERMANENT_ERROR;
        default -> MAY_RECOVER;
      };
    }

    boolean permanent() {
      return this == BAD_CONFIGURATION || this == PERMANENT_ERROR;
    }
  }

  /**
   * The waits between restarts.
   *
   * @param firstMillis the first wait, and the wait after a healthy run
   * @param maxMillis the longest wait, reached by doubling
   * @param healthyRunMillis a child that ran this long before dying was healthy
   */
  record Backoff(long firstMillis, long maxMillis, long healthyRunMillis) {
    static final Backoff DEMO = new Backoff(2_000, 30_000, 60_000);
  }

  private final String name;
  private final Supplier<ChildProcess> factory;
  private final Session session;
  private final Backoff backoff;
  private final Thread thread;
  private final CompletableFuture<String> stopped = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile ChildProcess current;
  private volatile int restarts;

  Supervised(String name, Supplier<ChildProcess> factory, Session session) {
    this(name, factory, session, Backoff.DEMO);
  }

  Supervised(String name, Supplier<ChildProcess> factory, Session session, Backoff backoff) {
    this.name = name;
    this.factory = factory;
    this.session = session;
    this.backoff = backoff;
    this.thread = new Thread(this::superviseLoop, "supervise-" + name);
    this.thread.setDaemon(true);
  }

  Supervised start() {
    current = factory.get().start();
    thread.start();
    return this;
  }

  /**
   * Completes, with the reason, when the child is left stopped: it finished, or it failed
   * permanently too often.
   */
  CompletableFuture<String> stopped() {
    return stopped;
  }

  private void superviseLoop() {
    long wait = backoff.firstMillis();
    int permanentInARow = 0;
    while (!closed) {
      long startedAt = System.currentTimeMillis();
      int code;
      try {
        code = current.waitFor();
        // Ctrl-C reaches the launcher a moment later than a child may die of it.
        Thread.sleep(wait);
      } catch (InterruptedException e) {
        return;
      }
      if (closed || session.isStopping()) {
        return;
      }
      Exit exit = Exit.of(code);
      if (exit == Exit.FINISHED) {
        String reason = "the " + name + " finished (exit code 0); it is not started again";
        Console.info(reason);
        stopped.complete(reason);
        return;
      }
      permanentInARow = exit.permanent() ? permanentInARow + 1 : 0;
      if (permanentInARow > PERMANENT_RETRIES) {
        String reason = givingUp(code, exit, permanentInARow);
        Console.error(reason);
        stopped.complete(reason);
        return;
      }
      wait =
          System.currentTimeMillis() - startedAt > backoff.healthyRunMillis()
              ? backoff.firstMillis()
              : Math.min(wait * 2, backoff.maxMillis());
      restarts++;
      Console.info(
          "the "
              + name
              + " exited with code "
              + code
              + " ("
              + exit.meaning
              + ")"
              + lastError(current)
              + "; restarting it, its queries resume from their checkpoints (restart "
              + restarts
              + (exit.permanent()
                  ? ", " + permanentInARow + " of at most " + PERMANENT_RETRIES + " for this cause"
                  : "")
              + ")");
      current = factory.get().start();
    }
  }

  private String givingUp(int code, Exit exit, int times) {
    return "the "
        + name
        + " is left stopped: it exited with code "
        + code
        + " ("
        + exit.meaning
        + ") "
        + times
        + " times in a row"
        + lastError(current)
        + current.logFile().map(log -> "; see " + log).orElse("")
        + "; fix the cause and start the demo again";
  }

  private static String lastError(ChildProcess child) {
    return child.lastErrorLine().map(line -> "; its last error: " + line).orElse("");
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
