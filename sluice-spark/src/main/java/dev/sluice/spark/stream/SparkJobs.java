package dev.sluice.spark.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Runs a batch's independent Spark jobs at once, for sinks whose outputs are views of one cached
 * batch. Spark schedules jobs from several threads; a cached partition is computed once and the
 * other jobs wait for it, so running together only overlaps each job's fixed costs.
 */
public final class SparkJobs {
  private SparkJobs() {}

  /**
   * Runs the jobs in parallel and returns when all have ended; throws the first failure, after the
   * others have ended too, so a retried batch never overlaps a job of its failed attempt.
   *
   * <p>Each job gets a new thread, never a pooled one: Spark hands the caller's local properties
   * (the micro-batch id, the streaming query's job group) to a thread when it is created.
   */
  public static void inParallel(Runnable... jobs) {
    List<FutureTask<Void>> running = new ArrayList<>(jobs.length);
    List<Thread> threads = new ArrayList<>(jobs.length);
    for (Runnable job : jobs) {
      FutureTask<Void> task = new FutureTask<>(job, null);
      Thread thread = new Thread(task, "sluice-batch-job");
      thread.setDaemon(true);
      thread.start();
      running.add(task);
      threads.add(thread);
    }
    RuntimeException failure = null;
    for (FutureTask<Void> job : running) {
      try {
        job.get();
      } catch (ExecutionException e) {
        if (failure == null) {
          failure =
              e.getCause() instanceof RuntimeException cause
                  ? cause
                  : new IllegalStateException(e.getCause());
        }
      } catch (InterruptedException e) {
        threads.forEach(Thread::interrupt);
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while running a batch's jobs", e);
      }
    }
    if (failure != null) {
      throw failure;
    }
  }
}
