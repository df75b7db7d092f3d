package dev.sluice.infra;

import dev.sluice.core.process.InfraLines;
import dev.sluice.kafka.KafkaTopics;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.logging.log4j.LogManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the embedded services, announces them, watches them (PostgreSQL and Redis are started
 * again when they die), and stops them on exit: Kafka first (it may still be writing), then
 * PostgreSQL, then Redis.
 */
final class InfraSupervisor {
  private static final Logger log = LoggerFactory.getLogger(InfraSupervisor.class);

  /** Stack traces of start-up failures go to the log file only; the console gets one line. */
  private static final Logger traces = LoggerFactory.getLogger("dev.sluice.infra.traces");

  private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

  private final InfraPlan plan;
  private final PrintStream announcements;
  private final long pid = ProcessHandle.current().pid();
  private final Object lifecycle = new Object();
  private boolean stopping;
  private EmbeddedKafka kafka;
  private EmbeddedDatabase database;
  private EmbeddedRedis redis;
  private volatile boolean kafkaDown;

  /** A service that ran this long since its last restart starts a new count of restarts. */
  static final Duration HEALTHY_RUN = Duration.ofMinutes(10);

  /** Restarts in a row of a PostgreSQL that keeps dying, before infra gives up and exits. */
  static final int MAX_DATABASE_RESTARTS = 3;

  /** Restarts in a row of a Redis that keeps dying, before infra gives up and exits. */
  static final int MAX_REDIS_RESTARTS = 3;

  private final RestartBudget databaseRestarts =
      new RestartBudget(MAX_DATABASE_RESTARTS, HEALTHY_RUN);
  private final RestartBudget redisRestarts = new RestartBudget(MAX_REDIS_RESTARTS, HEALTHY_RUN);

  InfraSupervisor(InfraPlan plan, PrintStream announcements) {
    this.plan = plan;
    this.announcements = announcements;
  }

  /** Returns only when something failed; the exit code to use. A clean stop is a signal. */
  int run() {
    try {
      startAndAnnounce();
    } catch (StartupException e) {
      traces.error("Start-up failed", e);
      System.err.println("sluice infra: " + e.getMessage());
      return 1;
    } catch (Throwable e) {
      // Anything else, Errors included: the broker's threads would keep a silent JVM alive.
      traces.error("Start-up failed", e);
      System.err.println(
          "sluice infra: start-up failed: "
              + e
              + " (details in "
              + plan.logDir().resolve("infra.log")
              + ")");
      return 1;
    }
    return supervise();
  }

  private void startAndAnnounce() throws Exception {
    Files.createDirectories(plan.home());
    Files.createDirectories(plan.logDir());
    InstanceLock.acquire(plan.home(), plan.envFile());
    if (plan.startsPostgres()) {
      Postmaster.stopLeftover(plan.postgresDir());
      Ports.requireFree(
          plan.postgresPort(), "embedded PostgreSQL", "SLUICE_EMBEDDED_POSTGRES_PORT");
    }
    if (plan.startsRedis()) {
      EmbeddedRedis.stopLeftover(plan.redisDir());
      Ports.requireFree(plan.redisPort(), "embedded Redis", "SLUICE_EMBEDDED_REDIS_PORT");
    }
    plan.redisMissing().ifPresent(why -> System.err.println("sluice infra: " + why));
    if (plan.startsKafka()) {
      Ports.requireFree(plan.kafkaPort(), "embedded Kafka broker", "SLUICE_EMBEDDED_KAFKA_PORT");
      Ports.requireFree(
          plan.controllerPort(),
          "embedded Kafka controller, SLUICE_EMBEDDED_KAFKA_PORT + 1",
          "SLUICE_EMBEDDED_KAFKA_PORT");
    }
    Runtime.getRuntime().addShutdownHook(new Thread(this::stop, "sluice-infra-stop"));

    // All start at once: each spends much of its time waiting on disk and child processes.
    List<CompletableFuture<Duration>> starts = new ArrayList<>();
    if (plan.startsKafka()) {
      starts.add(timed("Kafka", this::startKafka));
    }
    if (plan.startsPostgres()) {
      starts.add(timed("PostgreSQL", this::startDatabase));
    }
    if (plan.startsRedis()) {
      starts.add(timed("Redis", this::startRedis));
    }
    for (CompletableFuture<Duration> start : starts) {
      try {
        start.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
    Instant topicStart = Instant.now();
    try (KafkaTopics topics = new KafkaTopics(plan.kafkaBootstrap(), TOPIC_TIMEOUT)) {
      for (InfraPlan.TopicPlan topic : plan.topics()) {
        ensureTopic(topics, topic);
      }
    }
    log.debug("Topics checked in {} ms", Duration.between(topicStart, Instant.now()).toMillis());

    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      InfraEnvFile.write(plan.envFile(), plan.readyLines(), pid);
      for (String line : plan.readyLines()) {
        announcements.println(line);
      }
      announcements.println(InfraLines.READY_LINE);
      announcements.flush();
    }
    Instant jvmStart = ProcessHandle.current().info().startInstant().orElse(Instant.now());
    log.info(
        "Embedded platform ready in {} ms (Kafka {}, PostgreSQL {}, Redis {})",
        Duration.between(jvmStart, Instant.now()).toMillis(),
        plan.startsKafka() ? "127.0.0.1:" + plan.kafkaPort() : "external " + plan.kafkaBootstrap(),
        plan.startsPostgres() ? "127.0.0.1:" + plan.postgresPort() : "external",
        plan.startsRedis()
            ? "127.0.0.1:" + plan.redisPort()
            : plan.externalRedis().map(url -> "external " + url).orElse("none"));
  }

  private void ensureTopic(KafkaTopics topics, InfraPlan.TopicPlan topic) {
    try {
      int partitions = topics.ensure(topic.name(), topic.partitions());
      if (partitions != topic.partitions()) {
        log.warn(
            "Topic {} has {} partitions; {}={} applies only when Sluice creates it",
            topic.name(),
            partitions,
            topic.setting(),
            topic.partitions());
      }
    } catch (IllegalStateException e) {
      throw new StartupException(
          "cannot create or check topic "
              + topic.name()
              + " on Kafka "
              + plan.kafkaBootstrap()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private interface Step {
    void run() throws Exception;
  }

  private static CompletableFuture<Duration> timed(String name, Step step) {
    CompletableFuture<Duration> result = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              Instant start = Instant.now();
              try {
                step.run();
                Duration took = Duration.between(start, Instant.now());
                log.info("{} started in {} ms", name, took.toMillis());
                result.complete(took);
              } catch (Throwable e) {
                result.completeExceptionally(e);
              }
            },
            "sluice-infra-start-" + name);
    thread.setDaemon(true);
    thread.start();
    return result;
  }

  private void startKafka() throws Exception {
    EmbeddedKafka broker =
        new EmbeddedKafka(plan.kafkaDir(), plan.kafkaPort(), plan.controllerPort());
    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      kafka = broker;
    }
    try {
      broker.formatIfNeeded();
      broker.start();
    } catch (Exception e) {
      throw new StartupException(
          "the embedded Kafka broker did not start: "
              + e.getMessage()
              + " (see "
              + plan.logDir().resolve("kafka.log")
              + ")",
          e);
    }
    Thread watch =
        new Thread(
            () -> {
              broker.awaitShutdown();
              kafkaDown = true;
            },
            "sluice-infra-kafka-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private void startDatabase() throws Exception {
    EmbeddedDatabase db =
        new EmbeddedDatabase(
            plan.postgresDir(), plan.postgresPort(), plan.logDir().resolve("postgres.log"));
    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      database = db;
    }
    try {
      db.start(plan.dbUser());
    } catch (Exception e) {
      throw new StartupException(
          "the embedded PostgreSQL did not start: "
              + e.getMessage()
              + " (see "
              + plan.logDir().resolve("postgres.log")
              + ")",
          e);
    }
  }

  private void startRedis() throws Exception {
    EmbeddedRedis server =
        new EmbeddedRedis(
            plan.redisServer().orElseThrow(),
            plan.redisDir(),
            plan.redisPort(),
            plan.redisPassword(),
            plan.logDir().resolve("redis.log"));
    synchronized (lifecycle) {
      if (stopping) {
        return;
      }
      redis = server;
    }
    try {
      server.start();
    } catch (Exception e) {
      throw new StartupException(
          "the embedded Redis did not start: "
              + e.getMessage()
              + " (see "
              + plan.logDir().resolve("redis.log")
              + ")",
          e);
    }
  }

  /** Exits (non-zero) when a service dies on its own, so whoever started infra notices. */
  private int supervise() {
    while (true) {
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return 1;
      }
      synchronized (lifecycle) {
        if (stopping) {
          continue;
        }
        if (kafka != null && kafkaDown) {
          System.err.println(
              "sluice infra: the embedded Kafka broker stopped unexpectedly (see "
                  + plan.logDir().resolve("kafka.log")
                  + ")");
          return 1;
        }
        if (database != null && !database.isRunning() && !restartDatabase()) {
          System.err.println(
              "sluice infra: the embedded PostgreSQL stopped unexpectedly "
                  + "and did not stay up after "
                  + MAX_DATABASE_RESTARTS
                  + " restarts"
                  + " (see "
                  + plan.logDir().resolve("postgres.log")
                  + ")");
          return 1;
        }
        if (redis != null && !redis.isRunning() && !restartRedis()) {
          System.err.println(
              "sluice infra: the embedded Redis stopped unexpectedly "
                  + "and did not stay up after "
                  + MAX_REDIS_RESTARTS
                  + " restarts"
                  + " (see "
                  + plan.logDir().resolve("redis.log")
                  + ")");
          return 1;
        }
      }
    }
  }

  /**
   * Starts PostgreSQL again after it died (killed, out of memory): its own crash recovery replays
   * the log, so every committed transaction is there, and Sluice's processes wait out the outage.
   * Called with the lifecycle lock held, once a second while it is down. Returns false once it has
   * died or failed to start too often to keep trying.
   */
  private boolean restartDatabase() {
    if (!databaseRestarts.tryRestart()) {
      return false;
    }
    log.warn(
        "PostgreSQL stopped unexpectedly; starting it again (restart {} of at most {})",
        databaseRestarts.restarts(),
        databaseRestarts.maxRestarts());
    try {
      // Its backends outlive a killed postmaster for a moment and hold its shared memory.
      Postmaster.stopLeftover(plan.postgresDir());
      database.restartAfterCrash(plan.dbUser());
      log.info("PostgreSQL is running again");
      return true;
    } catch (Exception e) {
      // Backends of the killed server may still hold its shared memory: the next tick tries again.
      log.warn("PostgreSQL did not start again: {}", e.getMessage());
      traces.error("PostgreSQL did not start again", e);
      return true;
    }
  }

  /**
   * Starts Redis again after it died (killed, out of memory): it reads its append-only file back,
   * and the pipelines that use it wait out the outage. Called with the lifecycle lock held, once a
   * second while it is down. Returns false once it has died or failed to start too often.
   */
  private boolean restartRedis() {
    if (!redisRestarts.tryRestart()) {
      return false;
    }
    log.warn(
        "Redis stopped unexpectedly; starting it again (restart {} of at most {})",
        redisRestarts.restarts(),
        redisRestarts.maxRestarts());
    try {
      redis.restartAfterCrash();
      log.info("Redis is running again");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      // The next tick tries again, within the budget.
      log.warn("Redis did not start again: {}", e.getMessage());
      traces.error("Redis did not start again", e);
    }
    return true;
  }

  /** The shutdown hook: runs on SIGTERM/SIGINT, on a failed start and after a service died. */
  private void stop() {
    EmbeddedKafka broker;
    EmbeddedDatabase db;
    EmbeddedRedis redisServer;
    synchronized (lifecycle) {
      stopping = true;
      broker = kafka;
      db = database;
      redisServer = redis;
    }
    InfraEnvFile.deleteIfOwnedBy(plan.envFile(), pid);
    if (broker != null) {
      try {
        broker.stop();
        log.info("Kafka stopped");
      } catch (RuntimeException e) {
        traces.error("Stopping Kafka failed", e);
      }
    }
    if (db != null) {
      try {
        db.stop();
        log.info("PostgreSQL stopped");
      } catch (IOException | RuntimeException e) {
        traces.error("Stopping PostgreSQL failed", e);
      }
    }
    if (redisServer != null) {
      try {
        redisServer.stop();
        log.info("Redis stopped");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        traces.error("Stopping Redis failed", e);
      }
    }
    LogManager.shutdown();
  }
}
