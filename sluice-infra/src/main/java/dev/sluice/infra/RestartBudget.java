package dev.sluice.infra;

import java.time.Duration;

/**
 * How often the infra starts a crashed service again before it gives up and exits: a service that
 * keeps dying (a full disk, a corrupt file) should stop the platform with its log named, not loop.
 * A service that ran long enough since its last restart starts a new count.
 */
final class RestartBudget {
  private final int maxRestarts;
  private final Duration healthyRun;
  private int restarts;
  private long lastRestart;

  RestartBudget(int maxRestarts, Duration healthyRun) {
    this.maxRestarts = maxRestarts;
    this.healthyRun = healthyRun;
    this.lastRestart = System.nanoTime() - healthyRun.toNanos() - 1;
  }

  /** Counts one restart; false once the service died more than the budget allows. */
  boolean tryRestart() {
    if (System.nanoTime() - lastRestart > healthyRun.toNanos()) {
      restarts = 0; // it ran long enough since the last one: a new failure, not the same
    }
    lastRestart = System.nanoTime();
    restarts++;
    return restarts <= maxRestarts;
  }

  /** Restarts counted in the current run of failures. */
  int restarts() {
    return restarts;
  }

  int maxRestarts() {
    return maxRestarts;
  }
}
