package dev.sluice.spark.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.spark.stream.FaultPoints;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The crash test every pipeline passes: SIGKILL a running pipeline several times mid-stream, at
 * random moments after it has made progress, then let it finish with {@code --once}. The caller
 * then compares its tables with those of an uninterrupted run over the same input.
 */
public final class CrashDrill {
  private static final long PROGRESS_TIMEOUT_SECONDS = 240;

  private CrashDrill() {}

  /**
   * Kills {@code crashing} {@code kills} times, then drains its topic.
   *
   * @param batchesOfCalmRun how many batches the uninterrupted run committed: every kill must land
   *     before the end, or it proves nothing
   */
  public static void run(PipelineRun crashing, int kills, long batchesOfCalmRun, long seed)
      throws Exception {
    Random random = new Random(seed);
    long committedBefore = 0;
    for (int kill = 1; kill <= kills; kill++) {
      Process pipeline = crashing.start(false);
      // Kill only once this run has committed something, so every run makes progress, then at a
      // random moment, which lands inside a batch's writes more often than not.
      long committed = awaitCommittedBatchesAbove(crashing, committedBefore, pipeline);
      Thread.sleep(random.nextInt(1_500));
      pipeline.destroyForcibly();
      assertThat(pipeline.waitFor(30, TimeUnit.SECONDS)).isTrue();
      committedBefore = Math.max(committed, crashing.committedBatches());
      assertThat(committedBefore).as("batches after kill " + kill).isLessThan(batchesOfCalmRun);
    }
    assertThat(crashing.runOnce(600)).as("log: " + crashing.log()).isZero();
  }

  /**
   * The crash test of a query that never ends by itself (real-time mode): kills {@code crashing}
   * {@code kills} times, each once {@code progress} has grown, then runs it until {@code progress}
   * reaches {@code done} and stops it.
   */
  public static void runContinuous(
      PipelineRun crashing, int kills, LongSupplier progress, long done, long seed)
      throws Exception {
    Random random = new Random(seed);
    long floor = 0;
    for (int kill = 1; kill <= kills; kill++) {
      Process pipeline = crashing.start(false);
      awaitProgress(crashing, pipeline, progress, floor + 1);
      Thread.sleep(random.nextInt(1_500));
      pipeline.destroyForcibly();
      assertThat(pipeline.waitFor(30, TimeUnit.SECONDS)).isTrue();
      floor = progress.getAsLong();
      assertThat(floor).as("progress after kill " + kill).isLessThan(done);
    }
    runUntil(crashing, progress, done);
  }

  /**
   * Runs a query that never ends by itself until {@code progress} reaches {@code done}, then stops
   * it.
   */
  public static void runUntil(PipelineRun run, LongSupplier progress, long done) throws Exception {
    Process pipeline = run.start(false);
    try {
      awaitProgress(run, pipeline, progress, done);
    } finally {
      pipeline.destroy();
      assertThat(pipeline.waitFor(60, TimeUnit.SECONDS))
          .as("the pipeline stops on SIGTERM")
          .isTrue();
    }
  }

  private static void awaitProgress(
      PipelineRun run, Process pipeline, LongSupplier progress, long target)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROGRESS_TIMEOUT_SECONDS);
    while (progress.getAsLong() < target) {
      assertThat(pipeline.isAlive()).as("pipeline died by itself; log: " + run.log()).isTrue();
      if (System.nanoTime() > deadline) {
        run.dumpThreads(pipeline);
        throw new AssertionError(
            "progress stayed at "
                + progress.getAsLong()
                + " of "
                + target
                + " for "
                + PROGRESS_TIMEOUT_SECONDS
                + " s (the pipeline's threads are at the end of its log); log: "
                + run.log());
      }
      Thread.sleep(100);
    }
  }

  private static long awaitCommittedBatchesAbove(PipelineRun run, long floor, Process pipeline)
      throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PROGRESS_TIMEOUT_SECONDS);
    while (System.nanoTime() < deadline) {
      assertThat(pipeline.isAlive()).as("pipeline died by itself; log: " + run.log()).isTrue();
      long committed = run.committedBatches();
      if (committed > floor) {
        return committed;
      }
      Thread.sleep(100);
    }
    run.dumpThreads(pipeline);
    throw new AssertionError(
        "no batch committed within "
            + PROGRESS_TIMEOUT_SECONDS
            + " s (the pipeline's threads are at the end of its log); log: "
            + run.log());
  }

  /**
   * Halts {@code crashing} at a {@link FaultPoints crash point} of its {@code batch}-th batch
   * ({@code SLUICE_FAULT}), then lets it finish with {@code --once}. The caller checks what the
   * halt left behind between the two, through {@code afterHalt}, and compares the tables at the
   * end.
   */
  public static void runToPoint(
      PipelineRun crashing, FaultPoints.Point point, int batch, ThrowingRunnable afterHalt)
      throws Exception {
    int halted =
        crashing.runOnce(600, List.of(), Map.of(FaultPoints.ENV, point.wire() + ":" + batch));
    assertThat(halted)
        .as("exit of the run halted at " + point.wire() + "; log: " + crashing.log())
        .isEqualTo(FaultPoints.HALT_STATUS);
    afterHalt.run();
    assertThat(crashing.runOnce(600)).as("log: " + crashing.log()).isZero();
  }

  /** A check that may throw anything. */
  @FunctionalInterface
  public interface ThrowingRunnable {
    void run() throws Exception;
  }
}
