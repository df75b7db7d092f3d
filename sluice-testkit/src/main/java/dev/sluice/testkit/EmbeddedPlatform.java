package dev.sluice.testkit;

import dev.sluice.core.process.InfraLines;
import dev.sluice.core.process.Processes;
import dev.sluice.core.process.SluiceModules;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

/**
 * A real Kafka broker and PostgreSQL server for integration tests, and a real Redis for those that
 * ask: {@code sluice-infra}'s InfraMain started as a child process (its Kafka 4 jars stay off the
 * test's classpath) on free ports and a fresh temporary {@code SLUICE_HOME}.
 *
 * <p>Most tests share one platform per test JVM, since a start costs seconds on two cores:
 *
 * <pre>{@code
 * EmbeddedPlatform platform = EmbeddedPlatform.shared();
 * String bootstrap = platform.kafka();    // 127.0.0.1:<port>
 * String jdbcUrl = platform.dbUrl();      // jdbc:postgresql://127.0.0.1:<port>/sluice, user dbUser()
 * String redis = platform.redis();        // redis://127.0.0.1:<port>, started on this first call
 * processBuilder.environment().putAll(platform.env()); // for a Sluice process under test
 * }</pre>
 *
 * <p>Redis is started only for tests that call {@link #redis()}: a second infra process that runs
 * only the embedded Redis (Kafka and PostgreSQL are this platform's), supervised the same way, its
 * data under {@code home()/redis-platform/redis}. It needs Debian's {@code redis-server}.
 *
 * <p>A test that stops, restarts or breaks the platform starts its own with {@link #start()} and
 * closes it. Modules must be built first ({@code mvn -DskipTests install}); a Maven build of a
 * module that depends on sluice-testkit builds sluice-infra before it.
 */
public final class EmbeddedPlatform implements AutoCloseable {
  /** Ample for a cold start (unpacking PostgreSQL, initdb, formatting Kafka) on a busy machine. */
  public static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(60);
  private static final int STDERR_TAIL_LINES = 40;
  private static final int START_ATTEMPTS = 3;

  private static EmbeddedPlatform shared;

  private final Process process;
  private final Path home;
  private final Path stderr;
  private final Map<String, String> announced;
  private final boolean ownsHome;
  private EmbeddedPlatform redisPlatform;
  private boolean closed;

  private EmbeddedPlatform(
      Process process, Path home, Path stderr, Map<String, String> announced, boolean ownsHome) {
    this.process = process;
    this.home = home;
    this.stderr = stderr;
    this.announced = announced;
    this.ownsHome = ownsHome;
  }

  /** The platform of this test JVM, started on first use and stopped when the JVM exits. */
  public static synchronized EmbeddedPlatform shared() {
    if (shared == null || !shared.isRunning()) {
      shared = start();
      EmbeddedPlatform platform = shared;
      Runtime.getRuntime()
          .addShutdownHook(new Thread(platform::close, "sluice-testkit-stop-platform"));
    }
    return shared;
  }

  /** A platform of its own, for tests that stop or disturb it; close it when done. */
  public static EmbeddedPlatform start() {
    return start(Map.of());
  }

  /**
   * A platform of its own with extra settings for InfraMain, such as {@code
   * SLUICE_REVIEWS_PARTITIONS}. {@code SLUICE_HOME} and the ports are chosen here unless given; a
   * test that restarts a platform on the same data passes its own {@code SLUICE_HOME} (a home this
   * kit created is deleted on close).
   */
  public static EmbeddedPlatform start(Map<String, String> settings) {
    Path home;
    boolean ownsHome = !settings.containsKey("SLUICE_HOME");
    try {
      home =
          ownsHome
              ? Files.createTempDirectory("sluice-test-")
              : Path.of(settings.get("SLUICE_HOME"));
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    // Another process can take a free port between the check and the broker's bind; that start
    // fails fast with "already in use", and new ports fix it.
    for (int attempt = 1; ; attempt++) {
      Path stderr = home.resolve("infra-stderr-" + attempt + ".log");
      Map<String, String> env = new HashMap<>(settings);
      env.put("SLUICE_HOME", home.toString());
      env.computeIfAbsent("SLUICE_EMBEDDED_KAFKA_PORT", key -> Integer.toString(freePortPair()));
      env.computeIfAbsent(
          "SLUICE_EMBEDDED_POSTGRES_PORT", key -> Integer.toString(freePortOtherThan(env)));
      // Redis only for the tests that ask for it (redis(), or SLUICE_EMBEDDED_REDIS=true here).
      env.putIfAbsent("SLUICE_EMBEDDED_REDIS", "false");
      env.computeIfAbsent(
          "SLUICE_EMBEDDED_REDIS_PORT", key -> Integer.toString(freePortOtherThan(env)));
      try {
        return launch(home, env, stderr, ownsHome);
      } catch (PortTakenException e) {
        if (attempt == START_ATTEMPTS || settings.containsKey("SLUICE_EMBEDDED_KAFKA_PORT")) {
          throw e.failure;
        }
      }
    }
  }

  private static EmbeddedPlatform launch(
      Path home, Map<String, String> settings, Path stderr, boolean ownsHome) {
    ProcessBuilder builder =
        SluiceModules.withoutInheritedSettings(
            SluiceModules.locate()
                .java(
                    "sluice-infra", "dev.sluice.infra.InfraMain", List.of("-Xmx512m"), List.of()));
    builder.environment().putAll(settings);
    builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException("cannot launch sluice-infra: " + e.getMessage(), e);
    }
    CompletableFuture<Map<String, String>> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> readAnnouncements(process, ready), "sluice-testkit-infra-stdout");
    reader.setDaemon(true);
    reader.start();
    try {
      Map<String, String> announced = ready.get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return new EmbeddedPlatform(process, home, stderr, announced, ownsHome);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stopProcess(process, home);
      throw new IllegalStateException("interrupted while starting the embedded platform", e);
    } catch (ExecutionException | TimeoutException e) {
      String why =
          e instanceof TimeoutException
              ? "was not ready within " + READY_TIMEOUT
              : "exited before it was ready";
      stopProcess(process, home);
      String exit = process.isAlive() ? "" : " (exit code " + process.exitValue() + ")";
      String tail = tail(stderr, STDERR_TAIL_LINES);
      IllegalStateException failure =
          new IllegalStateException(
              "the embedded platform (sluice-infra) "
                  + why
                  + exit
                  + "; its home is "
                  + home
                  + "; last lines of its stderr:\n"
                  + tail);
      if (tail.contains("already in use")) {
        throw new PortTakenException(failure);
      }
      throw failure;
    }
  }

  /**
   * Collects KEY=value lines until the ready line; keeps draining afterwards so the child never
   * blocks.
   */
  private static void readAnnouncements(
      Process process, CompletableFuture<Map<String, String>> ready) {
    Map<String, String> values = new LinkedHashMap<>();
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        if (ready.isDone()) {
          continue;
        }
        InfraLines.collect(line, values);
        if (line.equals(InfraLines.READY_LINE)) {
          ready.complete(Map.copyOf(values));
        }
      }
    } catch (IOException e) {
      // The stream closes when the process ends.
    }
    ready.completeExceptionally(new IllegalStateException("sluice-infra closed its output"));
  }

  /** Kafka bootstrap servers, {@code 127.0.0.1:<port>}. */
  public String kafka() {
    return announced.get("SLUICE_KAFKA");
  }

  /** JDBC URL of the {@code sluice} database; the embedded server needs no password. */
  public String dbUrl() {
    return announced.get("SLUICE_DB_URL");
  }

  public String dbUser() {
    return announced.get("SLUICE_DB_USER");
  }

  /**
   * The Redis URL, {@code redis://127.0.0.1:<port>} (no password): the one this platform started,
   * else one started now, on the first call, by a second infra process of its own.
   */
  public synchronized String redis() {
    String own = announced.get("SLUICE_REDIS");
    if (own != null) {
      return own;
    }
    if (redisPlatform == null || !redisPlatform.isRunning()) {
      redisPlatform =
          start(
              Map.of(
                  "SLUICE_HOME", home.resolve("redis-platform").toString(),
                  "SLUICE_KAFKA", kafka(),
                  "SLUICE_DB_URL", dbUrl(),
                  "SLUICE_DB_USER", dbUser(),
                  "SLUICE_EMBEDDED_REDIS", "true"));
    }
    String started = redisPlatform.announced.get("SLUICE_REDIS");
    if (started == null) {
      throw new IllegalStateException(
          "the embedded Redis did not start; its infra said:\n"
              + tail(redisPlatform.stderr, STDERR_TAIL_LINES));
    }
    return started;
  }

  /**
   * The pid of the running redis-server, for tests of a Redis outage: kill it, and its infra starts
   * it again as it does after a crash.
   */
  public synchronized Optional<Long> redisServerPid() {
    Path redisHome = announced.containsKey("SLUICE_REDIS") ? home : home.resolve("redis-platform");
    try {
      List<String> lines =
          Files.readAllLines(redisHome.resolve("redis").resolve("redis-server.pid"));
      return lines.isEmpty()
          ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
              .filter(ProcessHandle::isAlive)
              .map(ProcessHandle::pid);
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private synchronized Optional<String> redisIfStarted() {
    String own = announced.get("SLUICE_REDIS");
    if (own != null) {
      return Optional.of(own);
    }
    return redisPlatform == null
        ? Optional.empty()
        : Optional.ofNullable(redisPlatform.announced.get("SLUICE_REDIS"));
  }

  /** The platform's {@code SLUICE_HOME}; other Sluice processes may share it. */
  public Path home() {
    return home;
  }

  /**
   * The settings a Sluice process needs to use this platform; {@code SLUICE_REDIS} once a Redis was
   * started (call {@link #redis()} first for a process that needs one).
   */
  public Map<String, String> env() {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("SLUICE_KAFKA", kafka());
    env.put("SLUICE_DB_URL", dbUrl());
    env.put("SLUICE_DB_USER", dbUser());
    env.put("SLUICE_HOME", home.toString());
    redisIfStarted().ifPresent(url -> env.put("SLUICE_REDIS", url));
    return Map.copyOf(env);
  }

  /** The infra process id, for tests that need to signal it. */
  public long pid() {
    return process.pid();
  }

  public boolean isRunning() {
    return process.isAlive();
  }

  /** Where the infra process's standard error goes (its logs are under {@code home()/logs}). */
  public Path stderrFile() {
    return stderr;
  }

  /**
   * Stops the platform the way Ctrl-C does (Kafka, then PostgreSQL), killing it only if it hangs. A
   * temporary home this kit created is then deleted, unless the stop was not clean: its logs stay
   * for a look ({@code -Dsluice.testkit.keepHome=true} keeps every home).
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (redisPlatform != null) {
      redisPlatform.close();
    }
    boolean clean = stopProcess(process, home);
    if (clean && ownsHome && !Boolean.getBoolean("sluice.testkit.keepHome")) {
      deleteRecursively(home);
    }
  }

  /** True when the process ended on SIGTERM within the timeout and left no server behind. */
  private static boolean stopProcess(Process process, Path home) {
    boolean clean = Processes.stop(process, STOP_TIMEOUT);
    boolean leftPostgres = stopLeftoverPostgres(home);
    boolean leftRedis = stopLeftoverRedis(home);
    return !leftPostgres && !leftRedis && clean;
  }

  /**
   * A redis-server outlives an infra JVM that died without its shutdown hook, like PostgreSQL.
   * Returns whether one had to be stopped. Debian's redis-server is a link to redis-check-rdb,
   * which the system reports as the command.
   */
  static boolean stopLeftoverRedis(Path home) {
    Optional<ProcessHandle> server =
        liveDaemon(
            home.resolve("redis").resolve("redis-server.pid"),
            Set.of("redis-server", "redis-check-rdb"));
    if (server.isEmpty()) {
      return false;
    }
    // SIGTERM: Redis writes out its append-only file and exits.
    server.get().destroy();
    awaitExit(server.get());
    return true;
  }

  /**
   * PostgreSQL runs as its own daemon; if the infra JVM died without its shutdown hook (killed,
   * halted), the server would outlive the test run on a temporary home nobody starts again. Returns
   * whether one had to be stopped.
   */
  static boolean stopLeftoverPostgres(Path home) {
    Optional<ProcessHandle> server =
        liveDaemon(home.resolve("postgres").resolve("postmaster.pid"), Set.of("postgres"));
    if (server.isEmpty()) {
      return false;
    }
    try {
      // SIGINT is PostgreSQL's fast shutdown; Java itself can only send TERM (which waits for
      // clients) and KILL.
      new ProcessBuilder("kill", "-INT", Long.toString(server.get().pid()))
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .start()
          .waitFor(10, TimeUnit.SECONDS);
    } catch (IOException e) {
      server.get().destroyForcibly();
    } catch (InterruptedException e) {
      server.get().destroyForcibly();
      Thread.currentThread().interrupt();
      return true;
    }
    awaitExit(server.get());
    return true;
  }

  /** The live process a daemon's pid file names, when its command is one of {@code commands}. */
  private static Optional<ProcessHandle> liveDaemon(Path pidFile, Set<String> commands) {
    try {
      List<String> lines = Files.exists(pidFile) ? Files.readAllLines(pidFile) : List.of();
      return lines.isEmpty()
          ? Optional.empty()
          : ProcessHandle.of(Long.parseLong(lines.get(0).strip()))
              .filter(ProcessHandle::isAlive)
              .filter(
                  p ->
                      p.info()
                          .command()
                          .map(c -> commands.contains(Path.of(c).getFileName().toString()))
                          .orElse(false));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  /** Waits up to 30 s for a daemon asked to stop, then kills it. */
  private static void awaitExit(ProcessHandle server) {
    try {
      server.onExit().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      server.destroyForcibly();
    } catch (InterruptedException e) {
      server.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> paths = Files.walk(dir)) {
      List<Path> all = new ArrayList<>(paths.toList());
      all.sort(Comparator.reverseOrder());
      for (Path path : all) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }

  static String tail(Path file, int lines) {
    try {
      if (!Files.exists(file)) {
        return "(no stderr)";
      }
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(cannot read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** A free port p whose successor is free too: the broker takes p, its controller p + 1. */
  public static int freePortPair() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = freePort();
      if (port < 65535 && isFree(port + 1)) {
        return port;
      }
    }
    throw new IllegalStateException("no two consecutive free ports found on 127.0.0.1");
  }

  /** A free port that none of the ports already chosen in {@code env} is. */
  private static int freePortOtherThan(Map<String, String> env) {
    int kafka = Integer.parseInt(env.get("SLUICE_EMBEDDED_KAFKA_PORT"));
    String postgres = env.get("SLUICE_EMBEDDED_POSTGRES_PORT");
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = freePort();
      if (port != kafka && port != kafka + 1 && !Integer.toString(port).equals(postgres)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port found on 127.0.0.1");
  }

  /** A port free on 127.0.0.1 right now, for a test server of its own. */
  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static final class PortTakenException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final IllegalStateException failure;

    PortTakenException(IllegalStateException failure) {
      super(failure.getMessage(), failure);
      this.failure = failure;
    }
  }
}
