package dev.sluice.loadgen;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * How a producer ends on Ctrl-C or SIGTERM: the signal stops its sends, then holds the JVM's exit
 * until the producer has printed the summary of what it sent (at most the time unfinished sends may
 * take, plus a margin), so that a user who stops a producer still learns what reached Kafka.
 *
 * <pre>{@code
 * try (StopOnSignal signal = StopOnSignal.install("produce", run::stop)) {
 *   Result result = run.send();
 *   err.println(summary(result));
 * }
 * }</pre>
 */
public final class StopOnSignal implements AutoCloseable {
  /** The longest a signal waits for the summary: unfinished sends' timeout and a margin. */
  static final long SUMMARY_WAIT_SECONDS = TrackedSends.COMPLETION_TIMEOUT.toSeconds() + 15;

  private final CountDownLatch summarized = new CountDownLatch(1);
  private final Thread hook;

  private StopOnSignal(String name, Runnable stop) {
    hook =
        new Thread(
            () -> {
              stop.run();
              try {
                summarized.await(SUMMARY_WAIT_SECONDS, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            name + "-shutdown");
  }

  /**
   * Makes a signal call {@code stop}, then wait for {@link #close()}.
   *
   * @param name the command, which names the hook's thread
   */
  public static StopOnSignal install(String name, Runnable stop) {
    StopOnSignal signal = new StopOnSignal(name, stop);
    Runtime.getRuntime().addShutdownHook(signal.hook);
    return signal;
  }

  /** The summary is out: a signal's wait ends at once, and no later signal waits. */
  @Override
  public void close() {
    summarized.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // The hook is running: it was waiting for the summary, which is out now.
    }
  }
}
