package dev.sluice.infra;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.config.Secret;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Debian's {@code redis-server} as a child process on 127.0.0.1, persisting every write to an
 * append-only file under its data directory. Its settings are in a file written at each start (mode
 * 0600, since it holds the password when one is set), never on its command line, where any user of
 * the machine could read them.
 */
final class EmbeddedRedis {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedRedis.class);

  static final String CONFIG_FILE = "redis.conf";
  static final String PID_FILE = "redis-server.pid";

  /** Ample for loading a large append-only file after a crash on a busy machine. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

  /** A clean stop writes out what is buffered and exits; longer means it hangs. */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE =
      PosixFilePermissions.fromString("rw-------");

  private final Path server;
  private final Path dataDir;
  private final int port;
  private final Optional<Secret> password;
  private final Path logFile;
  private Process process;

  EmbeddedRedis(Path server, Path dataDir, int port, Optional<Secret> password, Path logFile) {
    this.server = server;
    this.dataDir = dataDir;
    this.port = port;
    this.password = password;
    this.logFile = logFile;
  }

  /**
   * The configuration, one directive per line.
   *
   * <p>{@code appendfsync everysec}: each write reaches the operating system before Redis answers,
   * so a killed or crashed {@code redis-server} loses nothing it acknowledged; a crash of the whole
   * machine can lose the last second of writes, which a pipeline's sink must be able to replay (a
   * ledger kept in Redis in the same atomic step as the data is lost with them, so the batch is
   * written again). {@code always} would wait for the disk on every write, which on a shared disk
   * costs more throughput than the second it saves.
   *
   * <p>{@code save ""}: no RDB snapshots besides the append-only file; each would fork the server
   * and write the whole data set again, on two cores shared with Kafka and Spark.
   */
  static List<String> configuration(Path dataDir, int port, Optional<Secret> password) {
    List<String> lines = new ArrayList<>();
    lines.add("# Written by sluice infra at each start: changes here are overwritten.");
    lines.add("bind " + InfraPlan.LOOPBACK);
    lines.add("port " + port);
    lines.add("protected-mode yes");
    lines.add("daemonize no");
    lines.add("pidfile " + quote(dataDir.resolve(PID_FILE).toString()));
    lines.add("dir " + quote(dataDir.toString()));
    lines.add("logfile \"\"");
    lines.add("appendonly yes");
    lines.add("appendfsync everysec");
    lines.add("save \"\"");
    password.ifPresent(secret -> lines.add("requirepass " + quote(secret.reveal())));
    return lines;
  }

  /**
   * A string argument of a Redis configuration file: in double quotes, where Redis reads {@code
   * \\}, {@code \"} and {@code \xHH}, so any password or path stays one argument.
   */
  static String quote(String value) {
    StringBuilder quoted = new StringBuilder("\"");
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c == '\\' || c == '"') {
        quoted.append('\\').append((char) c);
      } else if (c < 0x20 || c >= 0x7f) {
        quoted.append(String.format("\\x%02x", c));
      } else {
        quoted.append((char) c);
      }
    }
    return quoted.append('"').toString();
  }

  RedisUrl url() {
    return RedisUrl.of(InfraPlan.LOOPBACK, port);
  }

  /** Starts the server (a new data directory on first start) and waits until it answers PING. */
  void start() throws IOException, InterruptedException {
    Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    Files.createDirectories(logFile.getParent());
    Path config = writeConfiguration();
    ProcessBuilder builder = new ProcessBuilder(server.toString(), config.toString());
    builder.directory(dataDir.toFile());
    // The server outlives this JVM if it is killed, so it writes to a file, not to a pipe.
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    process = builder.start();
    awaitReady();
  }

  /** Written whole (temp file, then rename), readable by this user only from its creation on. */
  private Path writeConfiguration() throws IOException {
    Path config = dataDir.resolve(CONFIG_FILE);
    Path temp = dataDir.resolve(CONFIG_FILE + ".tmp");
    Files.deleteIfExists(temp);
    Files.createFile(temp, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    Files.write(temp, configuration(dataDir, port, password), StandardCharsets.UTF_8);
    Files.move(temp, config, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    return config;
  }

  /** PING until it answers; fails at once if the server exits (a bad file, a port taken). */
  private void awaitReady() throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    try (RedisPool pool = new Redis(url(), password.orElse(null)).openPool()) {
      while (true) {
        if (!process.isAlive()) {
          throw new IllegalStateException(
              "redis-server exited with code " + process.exitValue() + " while starting");
        }
        try {
          pool.awaitReady(Duration.ofSeconds(1));
          return;
        } catch (IllegalStateException notYet) {
          if (System.nanoTime() > deadline) {
            throw new IllegalStateException(
                "redis-server did not answer within " + READY_TIMEOUT + ": " + notYet.getMessage(),
                notYet);
          }
        }
      }
    }
  }

  /** Whether the server this instance started is still running. */
  boolean isRunning() {
    return process != null && process.isAlive();
  }

  /** The running server's process id, for logs and tests. */
  Optional<Long> pid() {
    return isRunning() ? Optional.of(process.pid()) : Optional.empty();
  }

  /**
   * Starts the server again after it died: it reads its append-only file back, so every write it
   * acknowledged before the crash is there again.
   */
  void restartAfterCrash() throws IOException, InterruptedException {
    if (process != null) {
      process.waitFor(5, TimeUnit.SECONDS); // reaped, so its port is free again
    }
    start();
  }

  /** SIGTERM: Redis flushes its append-only file to disk and exits; killed if it hangs. */
  void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      log.warn("redis-server did not stop within {}; killing it", STOP_TIMEOUT);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /**
   * Stops a server left running on this data directory by an earlier infra process that was killed
   * (the server does not die with it), so the new one can take the port and the files.
   */
  static void stopLeftover(Path dataDir) throws InterruptedException {
    Optional<ProcessHandle> leftover = runningServer(dataDir);
    if (leftover.isEmpty()) {
      return;
    }
    ProcessHandle server = leftover.get();
    log.warn(
        "A redis-server (pid {}) left by an earlier run still uses {}; stopping it",
        server.pid(),
        dataDir);
    server.destroy();
    if (!awaitExit(server, STOP_TIMEOUT)) {
      server.destroyForcibly();
      if (!awaitExit(server, Duration.ofSeconds(10))) {
        throw new StartupException(
            "cannot stop the redis-server (pid "
                + server.pid()
                + ") left running on "
                + dataDir
                + ": stop it, then start again");
      }
    }
  }

  /** The server whose pid the data directory's pid file names, if it still runs redis-server. */
  static Optional<ProcessHandle> runningServer(Path dataDir) {
    try {
      List<String> lines = Files.readAllLines(dataDir.resolve(PID_FILE));
      if (lines.isEmpty()) {
        return Optional.empty();
      }
      return ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
          .filter(ProcessHandle::isAlive)
          .filter(EmbeddedRedis::isRedisServer);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Debian installs {@code redis-server} as a link to {@code redis-check-rdb}, one program that
   * acts by the name it was started as; the system reports the link's target.
   */
  private static boolean isRedisServer(ProcessHandle process) {
    return process
        .info()
        .command()
        .map(command -> Path.of(command).getFileName().toString())
        .filter(name -> name.equals("redis-server") || name.equals("redis-check-rdb"))
        .isPresent();
  }

  private static boolean awaitExit(ProcessHandle process, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    return !process.isAlive();
  }
}
