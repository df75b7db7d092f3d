package dev.sluice.bench.api;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * A closed-loop load: N keep-alive connections, each sending its next request as soon as the
 * previous answer is in, for a warm-up and then a measured period, bounded in requests too.
 */
final class HttpLoad {
  /** What one phase measured. */
  record Result(
      long requests,
      long ok,
      long failed,
      double seconds,
      Latencies latencies,
      String firstFailure) {
    double rps() {
      return ok / seconds;
    }
  }

  private HttpLoad() {}

  /**
   * @param requests request bytes for the i-th request of a connection (cycled by the caller)
   * @param okStatus the status that counts as success
   */
  static Result run(
      String host,
      int port,
      int connections,
      double warmupSeconds,
      double seconds,
      long maxRequests,
      int okStatus,
      IntFunction<byte[]> requests)
      throws InterruptedException {
    AtomicLong budget = new AtomicLong(maxRequests);
    long warmupEnd = System.nanoTime() + (long) (warmupSeconds * 1e9);
    long end = warmupEnd + (long) (seconds * 1e9);
    List<Worker> workers = new ArrayList<>();
    CountDownLatch done = new CountDownLatch(connections);
    for (int i = 0; i < connections; i++) {
      Worker worker =
          new Worker(
              host,
              port,
              i,
              warmupEnd,
              end,
              budget,
              okStatus,
              requests,
              done,
              (int) Math.min(maxRequests / connections + 1, 1 << 20));
      workers.add(worker);
      Thread thread = new Thread(worker, "load-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    done.await();
    long measuredStart = warmupEnd;
    long measuredEnd = workers.stream().mapToLong(w -> w.finishedAt).max().orElse(end);
    Latencies all = new Latencies(1024);
    long ok = 0;
    long failed = 0;
    String firstFailure = null;
    for (Worker w : workers) {
      all.addAll(w.latencies);
      ok += w.ok;
      failed += w.failed;
      if (firstFailure == null) {
        firstFailure = w.failure;
      }
    }
    double elapsed = Math.max(1e-3, (measuredEnd - measuredStart) / 1e9);
    return new Result(ok + failed, ok, failed, elapsed, all, firstFailure);
  }

  private static final class Worker implements Runnable {
    private final String host;
    private final int port;
    private final int index;
    private final long warmupEnd;
    private final long end;
    private final AtomicLong budget;
    private final int okStatus;
    private final IntFunction<byte[]> requests;
    private final CountDownLatch done;
    final Latencies latencies;
    long ok;
    long failed;
    long finishedAt;
    String failure;

    Worker(
        String host,
        int port,
        int index,
        long warmupEnd,
        long end,
        AtomicLong budget,
        int okStatus,
        IntFunction<byte[]> requests,
        CountDownLatch done,
        int capacity) {
      this.host = host;
      this.port = port;
      this.index = index;
      this.warmupEnd = warmupEnd;
      this.end = end;
      this.budget = budget;
      this.okStatus = okStatus;
      this.requests = requests;
      this.done = done;
      this.latencies = new Latencies(capacity);
    }

    @Override
    public void run() {
      RawHttpConnection connection = null;
      int sequence = index;
      try {
        while (true) {
          long start = System.nanoTime();
          if (start >= end) {
            break;
          }
          boolean measured = start >= warmupEnd;
          if (measured && budget.decrementAndGet() < 0) {
            break;
          }
          if (connection == null) {
            connection = new RawHttpConnection(host, port);
          }
          int status;
          try {
            status = connection.exchange(requests.apply(sequence++));
          } catch (IOException e) {
            status = -1;
            if (failure == null) {
              failure = e.getMessage();
            }
            connection.close();
            connection = null;
          }
          long took = System.nanoTime() - start;
          if (measured) {
            if (status == okStatus) {
              ok++;
              latencies.add(took);
            } else {
              failed++;
              if (failure == null) {
                failure = "status " + status;
              }
            }
          }
        }
      } catch (IOException e) {
        failure = failure == null ? e.getMessage() : failure;
      } finally {
        finishedAt = System.nanoTime();
        if (connection != null) {
          try {
            connection.close();
          } catch (IOException e) {
            // done anyway
          }
        }
        done.countDown();
      }
    }
  }
}
