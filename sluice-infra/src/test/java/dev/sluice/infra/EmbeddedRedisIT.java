package dev.sluice.infra;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.config.Secret;
import dev.sluice.core.pipeline.RedisRequirement;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisPool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The infra's Redis, a real Debian {@code redis-server}: announced like Kafka and PostgreSQL, its
 * password kept off command lines and outputs, every acknowledged key still there after the server
 * is killed with SIGKILL and the supervisor started it again, none started when {@code
 * SLUICE_REDIS} names one, a platform without {@code redis-server} that says what to install, and a
 * server orphaned by a killed infra JVM stopped by the next start. One platform with all three
 * services for the class; the others borrow its Kafka and PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EmbeddedRedisIT {
  /** Quotes, a backslash, a space and non-ASCII: the configuration file must keep it whole. */
  private static final String PASSWORD = "Rédis \"pass\" \\ wört-" + System.nanoTime();

  private static final Duration DEADLINE = Duration.ofSeconds(120);
  private static final int KEYS = 1000;

  private Path temp;
  private Path home;
  private Map<String, String> settings;
  private int redisPort;
  private InfraProcess infra;
  private Map<String, String> announced;
  private RedisPool pool;

  @BeforeAll
  void startInfraWithRedis(@TempDir Path temp) throws Exception {
    assertThat(RedisRequirement.findServer(System.getenv()))
        .as("redis-server is not on the PATH: " + RedisRequirement.INSTALL)
        .isPresent();
    this.temp = temp;
    home = temp.resolve("home");
    redisPort = InfraProcess.freePort();
    settings =
        Map.of(
            "SLUICE_HOME", home.toString(),
            "SLUICE_EMBEDDED_KAFKA_PORT", Integer.toString(InfraProcess.freePortPair()),
            "SLUICE_EMBEDDED_POSTGRES_PORT", Integer.toString(InfraProcess.freePort()),
            "SLUICE_EMBEDDED_REDIS", "true",
            "SLUICE_EMBEDDED_REDIS_PORT", Integer.toString(redisPort),
            "SLUICE_REDIS_PASSWORD", PASSWORD);
    infra = InfraProcess.start(settings, temp.resolve("stderr.log"));
    announced = infra.awaitReady();
    pool = new Redis(RedisUrl.of("127.0.0.1", redisPort), new Secret(PASSWORD)).openPool();
  }

  @AfterAll
  void stopInfra() throws Exception {
    if (pool != null) {
      pool.close();
    }
    if (infra != null) {
      infra.close();
    }
  }

  @Test
  @Order(1)
  void announcesRedisAndKeepsThePasswordOffCommandLinesAndOutputs() throws Exception {
    String url = "redis://127.0.0.1:" + redisPort;
    assertThat(announced).containsEntry("SLUICE_REDIS", url);
    assertThat(Files.readAllLines(home.resolve("infra.env"))).contains("SLUICE_REDIS=" + url);

    Path config = home.resolve("redis").resolve(EmbeddedRedis.CONFIG_FILE);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(config)))
        .isEqualTo("rw-------");
    assertThat(Files.readAllLines(config)).contains("appendonly yes", "appendfsync everysec");

    // Redis replaces its command line with a title; INFO says which file it read.
    assertThat(commandLine(redisServer().orElseThrow())).doesNotContain(PASSWORD);
    try (Jedis jedis = pool.borrow()) {
      assertThat(jedis.info("server")).contains("config_file:" + config.toAbsolutePath());
    }
    assertThat(String.join("\n", infra.stdoutLines())).doesNotContain(PASSWORD);
    assertThat(infra.stderrText()).doesNotContain(PASSWORD);
    try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
      for (Path log : logs.toList()) {
        assertThat(Files.readString(log, StandardCharsets.ISO_8859_1))
            .as("%s", log)
            .doesNotContain(PASSWORD);
      }
    }

    assertThat(pool.ping()).isTrue();
    try (RedisPool withoutPassword =
        new Redis(RedisUrl.of("127.0.0.1", redisPort), null).openPool()) {
      assertThat(withoutPassword.ping()).as("Redis must require the password").isFalse();
    }
  }

  @Test
  @Order(2)
  void keysAcknowledgedBeforeASigkillAreThereAfterTheSupervisorRestartsRedis() throws Exception {
    assertThat(persistenceInfo()).containsEntry("aof_enabled", "1");

    // Step 1: keys that a rewrite of the append-only file puts into its new base file.
    Map<String, String> written = new HashMap<>();
    try (Jedis jedis = pool.borrow()) {
      for (int i = 0; i < KEYS; i++) {
        written.put("rewritten:" + i, "Umsatz " + i + " €");
        jedis.set("rewritten:" + i, "Umsatz " + i + " €");
      }
      jedis.bgrewriteaof();
    }
    awaitPersistence(
        "the rewrite of the append-only file to finish",
        info ->
            "0".equals(info.get("aof_rewrite_in_progress"))
                && "0".equals(info.get("aof_rewrite_scheduled"))
                && "ok".equals(info.get("aof_last_bgrewrite_status")));

    // Step 2: keys only in the incremental append-only file. Redis writes each to the file before
    // it answers, unless a slow fsync makes it postpone the write (up to 2 s with everysec); an
    // empty AOF buffer says the write happened, so a killed server cannot lose them. The pause
    // after it lets everysec's fsync run too, so this also holds for what reached the disk.
    try (Jedis jedis = pool.borrow()) {
      for (int i = 0; i < KEYS; i++) {
        written.put("appended:" + i, "收入 " + i);
        jedis.set("appended:" + i, "收入 " + i);
      }
    }
    awaitPersistence(
        "the append-only buffer to be written", info -> "0".equals(info.get("aof_buffer_length")));
    Thread.sleep(2_000);

    // Step 3: SIGKILL, no chance to flush anything.
    ProcessHandle killed = redisServer().orElseThrow();
    killed.destroyForcibly();
    assertThat(killed.onExit().get(DEADLINE.toSeconds(), java.util.concurrent.TimeUnit.SECONDS))
        .isNotNull();

    // Step 4: the supervisor starts it again; the pool opened before the kill recovers.
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    Optional<ProcessHandle> restarted = Optional.empty();
    while (restarted.isEmpty() && System.nanoTime() < deadline) {
      restarted = redisServer().filter(p -> p.pid() != killed.pid());
      Thread.sleep(200);
    }
    assertThat(restarted).as("a new redis-server started by the infra").isPresent();
    pool.awaitReady(DEADLINE);

    // Step 5: every key with its value.
    try (Jedis jedis = pool.borrow()) {
      for (Map.Entry<String, String> key : written.entrySet()) {
        assertThat(jedis.get(key.getKey())).as(key.getKey()).isEqualTo(key.getValue());
      }
      assertThat(jedis.dbSize()).isEqualTo(written.size());
    }
    assertThat(infra.isAlive()).isTrue();
    assertThat(Files.readString(home.resolve("logs/infra.log")))
        .contains("Redis stopped unexpectedly; starting it again (restart 1 of at most 3)");
  }

  @Test
  @Order(3)
  void anExternalRedisIsAnnouncedAndNoneIsStarted() throws Exception {
    Path otherHome = temp.resolve("external-home");
    int unusedPort = InfraProcess.freePort();
    try (InfraProcess other =
        InfraProcess.start(
            Map.of(
                "SLUICE_HOME", otherHome.toString(),
                "SLUICE_KAFKA", announced.get("SLUICE_KAFKA"),
                "SLUICE_DB_URL", announced.get("SLUICE_DB_URL"),
                "SLUICE_REDIS", announced.get("SLUICE_REDIS"),
                "SLUICE_REDIS_PASSWORD", PASSWORD,
                "SLUICE_EMBEDDED_REDIS", "true",
                "SLUICE_EMBEDDED_REDIS_PORT", Integer.toString(unusedPort)),
            temp.resolve("external-stderr.log"))) {
      Map<String, String> otherAnnounced = other.awaitReady();
      assertThat(otherAnnounced).containsEntry("SLUICE_REDIS", announced.get("SLUICE_REDIS"));
      assertThat(redisServersOf(other.process.toHandle())).isEmpty();
      assertThat(otherHome.resolve("redis")).doesNotExist();
      assertThat(Ports.isFree(unusedPort)).isTrue();
      assertThat(other.stderrText()).doesNotContain(PASSWORD);
    }
  }

  @Test
  @Order(4)
  void withoutRedisServerThePlatformRunsAndSaysWhatToInstall() throws Exception {
    Path emptyPath = Files.createDirectories(temp.resolve("empty-path"));
    try (InfraProcess other =
        InfraProcess.start(
            Map.of(
                "PATH", emptyPath.toString(),
                "SLUICE_HOME", temp.resolve("no-redis-home").toString(),
                "SLUICE_KAFKA", announced.get("SLUICE_KAFKA"),
                "SLUICE_DB_URL", announced.get("SLUICE_DB_URL"),
                "SLUICE_EMBEDDED_REDIS", "true"),
            temp.resolve("no-redis-stderr.log"))) {
      Map<String, String> otherAnnounced = other.awaitReady();
      assertThat(otherAnnounced).doesNotContainKey("SLUICE_REDIS");
      assertThat(other.stderrText())
          .contains(
              "sluice infra: the embedded Redis is not started: redis-server is not on the PATH:"
                  + " install Debian package redis-server (apt-get install redis-server)");
      assertThat(other.isAlive()).isTrue();
    }
  }

  @Test
  @Order(5)
  void aRedisLeftByAKilledInfraIsStoppedByTheNextStartWhichServesTheSameData() throws Exception {
    try (Jedis jedis = pool.borrow()) {
      jedis.set("before-infra-kill", "ß");
    }
    ProcessHandle orphan = redisServer().orElseThrow();
    infra.kill();
    assertThat(orphan.isAlive()).as("redis-server outlives the killed infra JVM").isTrue();

    infra = InfraProcess.start(settings, temp.resolve("stderr-after-kill.log"));
    announced = infra.awaitReady();

    assertThat(orphan.isAlive()).isFalse();
    assertThat(redisServer()).isPresent().get().isNotEqualTo(orphan);
    pool.awaitReady(DEADLINE);
    try (Jedis jedis = pool.borrow()) {
      assertThat(jedis.get("before-infra-kill")).isEqualTo("ß");
      assertThat(jedis.get("appended:" + (KEYS - 1))).isEqualTo("收入 " + (KEYS - 1));
    }
    assertThat(infra.stderrText()).contains("left by an earlier run still uses");
  }

  @Test
  @Order(6)
  void aCleanStopStopsRedisAndKeepsItsAppendOnlyFile() throws Exception {
    ProcessHandle server = redisServer().orElseThrow();
    assertThat(infra.stop()).as("ended by SIGTERM, not by a failure").isEqualTo(143);
    assertThat(server.isAlive()).isFalse();
    assertThat(home.resolve("redis/appendonlydir/appendonly.aof.manifest")).isNotEmptyFile();
    assertThat(home.resolve("redis").resolve(EmbeddedRedis.PID_FILE)).doesNotExist();
  }

  /** The redis-server the infra under test runs now, if any. */
  private Optional<ProcessHandle> redisServer() {
    List<ProcessHandle> servers = redisServersOf(infra.process.toHandle());
    assertThat(servers).hasSizeLessThanOrEqualTo(1);
    return servers.stream().findFirst();
  }

  private static List<ProcessHandle> redisServersOf(ProcessHandle parent) {
    return parent
        .children()
        .filter(ProcessHandle::isAlive)
        .filter(
            child ->
                child
                    .info()
                    .command()
                    .filter(c -> c.endsWith("/redis-server") || c.endsWith("/redis-check-rdb"))
                    .isPresent())
        .toList();
  }

  /** What any user of the machine can read of the process's command line. */
  private static String commandLine(ProcessHandle process) throws IOException {
    byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline"));
    return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
  }

  private interface Condition {
    boolean holds(Map<String, String> info);
  }

  private void awaitPersistence(String what, Condition condition) throws InterruptedException {
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    Map<String, String> info = Map.of();
    while (System.nanoTime() < deadline) {
      info = persistenceInfo();
      if (condition.holds(info)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("timed out waiting for " + what + "; INFO persistence: " + info);
  }

  private Map<String, String> persistenceInfo() {
    Map<String, String> fields = new HashMap<>();
    try (Jedis jedis = pool.borrow()) {
      for (String line : jedis.info("persistence").split("\r?\n")) {
        int colon = line.indexOf(':');
        if (colon > 0) {
          fields.put(line.substring(0, colon), line.substring(colon + 1).strip());
        }
      }
    }
    return fields;
  }
}
