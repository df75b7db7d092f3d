package dev.sluice.infra;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a data directory's {@code postmaster.pid}. PostgreSQL runs as its own process, so when the
 * infra JVM is killed (kill -9, OOM) the server keeps running on the data directory and the next
 * start must stop it first.
 */
final class Postmaster {
  static final String PID_FILE = "postmaster.pid";

  private static final Logger log = LoggerFactory.getLogger(Postmaster.class);

  private Postmaster() {}

  /** The pid on the first line of {@code postmaster.pid}, if the file exists and holds one. */
  static Optional<Long> pidInFile(Path dataDir) {
    Path pidFile = dataDir.resolve(PID_FILE);
    try {
      List<String> lines = Files.readAllLines(pidFile);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** The running server on this data directory, if any. */
  static Optional<ProcessHandle> runningPid(Path dataDir) {
    return pidInFile(dataDir)
        .flatMap(ProcessHandle::of)
        .filter(ProcessHandle::isAlive)
        .filter(process -> isPostgres(process).orElse(false));
  }

  /**
   * Whether the process has ended and waits to be reaped: a killed server is one for a moment, and
   * the system no longer says what it ran.
   */
  static boolean isZombie(ProcessHandle process) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
      int afterName = stat.lastIndexOf(')');
      return afterName > 0 && stat.length() > afterName + 2 && stat.charAt(afterName + 2) == 'Z';
    } catch (IOException | RuntimeException e) {
      return false; // no /proc here: treated as running, as before
    }
  }

  /** Empty when the operating system does not say what the process runs. */
  static Optional<Boolean> isPostgres(ProcessHandle process) {
    return process
        .info()
        .command()
        .map(command -> Path.of(command).getFileName().toString().equals("postgres"));
  }

  /**
   * Stops a server left running on this data directory by an earlier, killed infra process, and
   * removes a pid file whose pid now belongs to an unrelated process (PostgreSQL would refuse to
   * start). A fast shutdown first (committed data is safe either way), then harsher signals.
   */
  static void stopLeftover(Path dataDir) throws IOException, InterruptedException {
    Optional<Long> pid = pidInFile(dataDir);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process =
        ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive).filter(p -> !isZombie(p));
    if (process.isEmpty()) {
      return; // PostgreSQL itself replaces a pid file whose process is gone.
    }
    Optional<Boolean> postgres = isPostgres(process.get());
    if (postgres.isEmpty()) {
      throw new StartupException(
          dataDir.resolve(PID_FILE)
              + " names running process "
              + pid.get()
              + " that may be a PostgreSQL server on this data directory: stop it, then start"
              + " again");
    }
    if (!postgres.get()) {
      log.warn("Removing stale {}: its pid {} now belongs to another program", PID_FILE, pid.get());
      Files.deleteIfExists(dataDir.resolve(PID_FILE));
      return;
    }
    log.warn(
        "A PostgreSQL server (pid {}) left by an earlier run still uses {}; stopping it",
        pid.get(),
        dataDir);
    ProcessHandle server = process.get();
    if (signal(server, "INT", 60) || signal(server, "QUIT", 15) || killForcibly(server)) {
      awaitChildrenGone(dataDir);
      return;
    }
    throw new StartupException(
        "cannot stop the PostgreSQL server (pid "
            + pid.get()
            + ") left running on "
            + dataDir
            + ": stop it, then start again");
  }

  /** Sends a signal by name (Java only sends TERM and KILL) and waits for the process to end. */
  private static boolean signal(ProcessHandle process, String signal, int waitSeconds)
      throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    kill.waitFor(10, TimeUnit.SECONDS);
    return awaitExit(process, waitSeconds);
  }

  private static boolean killForcibly(ProcessHandle process) throws InterruptedException {
    process.destroyForcibly();
    return awaitExit(process, 10);
  }

  private static boolean awaitExit(ProcessHandle process, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return !process.isAlive();
  }

  /**
   * After a forced stop, server children can hold the shared memory for a moment; PostgreSQL will
   * not start while they do. The pid file disappears on a clean stop; give a killed one a moment.
   */
  private static void awaitChildrenGone(Path dataDir) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (Files.exists(dataDir.resolve(PID_FILE)) && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
  }
}
