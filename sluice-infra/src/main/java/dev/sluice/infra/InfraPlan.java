package dev.sluice.infra;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.RedisUrl;
import dev.sluice.core.config.Secret;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.pipeline.RedisRequirement;
import dev.sluice.core.process.InfraLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What {@code ./sluice infra} starts and where, derived from the validated settings: the embedded
 * broker only when {@code SLUICE_KAFKA} is unset, the embedded database only when {@code
 * SLUICE_DB_URL} is unset, the embedded Redis only when {@code SLUICE_REDIS} is unset, {@code
 * SLUICE_EMBEDDED_REDIS} is not false and {@code redis-server} was found.
 *
 * @param redisServer the {@code redis-server} program found on the {@code PATH}, if any
 */
record InfraPlan(
    Path home,
    Optional<String> externalKafka,
    Optional<String> externalDbUrl,
    String dbUser,
    int kafkaPort,
    int postgresPort,
    Optional<RedisUrl> externalRedis,
    Optional<Secret> redisPassword,
    boolean embeddedRedis,
    int redisPort,
    Optional<Path> redisServer,
    List<TopicPlan> topics) {

  /**
   * A registered pipeline's input topic, created when missing.
   *
   * @param setting the environment variable that sets {@code partitions}
   */
  record TopicPlan(String name, int partitions, String setting) {}

  static final String DATABASE = "sluice";
  static final String LOOPBACK = "127.0.0.1";

  /** The plan for this machine: {@code redis-server} is looked up on this process's PATH. */
  static InfraPlan from(SluiceConfig config) {
    return from(config, RedisRequirement.findServer(System.getenv()));
  }

  /** Checks the combinations a single setting cannot; throws one line per problem. */
  static InfraPlan from(SluiceConfig config, Optional<Path> redisServer) {
    InfraPlan plan =
        new InfraPlan(
            config.home().toAbsolutePath().normalize(),
            config.kafka(),
            config.dbUrl(),
            config.dbUser(),
            config.embeddedKafkaPort(),
            config.embeddedPostgresPort(),
            config.redis(),
            config.redisPassword(),
            config.embeddedRedis(),
            config.embeddedRedisPort(),
            redisServer,
            Pipelines.registered().all().stream()
                .flatMap(
                    pipeline ->
                        Stream.concat(pipeline.inputs().stream(), pipeline.outputs().stream()))
                .map(
                    input ->
                        new TopicPlan(
                            input.name(), config.partitions(input), input.partitions().env()))
                .distinct()
                .toList());
    List<String> problems = new ArrayList<>();
    if (plan.startsKafka() && plan.kafkaPort == 65535) {
      problems.add(
          "SLUICE_EMBEDDED_KAFKA_PORT='65535' is not valid: expected a port below 65535 "
              + "(the embedded Kafka controller uses the next port)");
    }
    if (plan.startsKafka()
        && plan.startsPostgres()
        && (plan.postgresPort == plan.kafkaPort || plan.postgresPort == plan.controllerPort())) {
      problems.add(
          "SLUICE_EMBEDDED_POSTGRES_PORT='"
              + plan.postgresPort
              + "' is not valid: expected a port "
              + "other than "
              + plan.kafkaPort
              + " and "
              + plan.controllerPort()
              + ", which the embedded Kafka uses (SLUICE_EMBEDDED_KAFKA_PORT and the next port)");
    }
    List<Integer> taken = new ArrayList<>();
    if (plan.startsKafka()) {
      taken.addAll(List.of(plan.kafkaPort, plan.controllerPort()));
    }
    if (plan.startsPostgres()) {
      taken.add(plan.postgresPort);
    }
    if (plan.startsRedis() && taken.contains(plan.redisPort)) {
      problems.add(
          "SLUICE_EMBEDDED_REDIS_PORT='"
              + plan.redisPort
              + "' is not valid: expected a port other than those of the embedded Kafka"
              + " (SLUICE_EMBEDDED_KAFKA_PORT and the next port) and PostgreSQL"
              + " (SLUICE_EMBEDDED_POSTGRES_PORT)");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return plan;
  }

  boolean startsKafka() {
    return externalKafka.isEmpty();
  }

  boolean startsPostgres() {
    return externalDbUrl.isEmpty();
  }

  boolean startsRedis() {
    return externalRedis.isEmpty() && embeddedRedis && redisServer.isPresent();
  }

  /**
   * Why the embedded Redis is wanted and cannot start, with what to do; empty when it starts or is
   * not wanted. The platform runs on without it: only pipelines that need Redis cannot.
   */
  Optional<String> redisMissing() {
    return externalRedis.isEmpty() && embeddedRedis && redisServer.isEmpty()
        ? Optional.of(
            "the embedded Redis is not started: "
                + RedisRequirement.SERVER
                + " is not on the PATH: "
                + RedisRequirement.INSTALL)
        : Optional.empty();
  }

  /** The Redis the platform offers: the external one, the embedded one, or none. */
  Optional<RedisUrl> redisUrl() {
    return externalRedis.or(
        () -> startsRedis() ? Optional.of(RedisUrl.of(LOOPBACK, redisPort)) : Optional.empty());
  }

  Path redisDir() {
    return home.resolve("redis");
  }

  int controllerPort() {
    return kafkaPort + 1;
  }

  Path kafkaDir() {
    return home.resolve("kafka");
  }

  Path postgresDir() {
    return home.resolve("postgres");
  }

  Path logDir() {
    return home.resolve("logs");
  }

  Path envFile() {
    return home.resolve(InfraLines.ENV_FILE);
  }

  String kafkaBootstrap() {
    return externalKafka.orElse(LOOPBACK + ":" + kafkaPort);
  }

  String dbUrl() {
    return externalDbUrl.orElse(
        "jdbc:postgresql://" + LOOPBACK + ":" + postgresPort + "/" + DATABASE);
  }

  /**
   * The lines printed when ready and written to {@code infra.env}, in order. Never a password: each
   * process reads its own from the environment.
   */
  List<String> readyLines() {
    List<String> lines = new ArrayList<>();
    lines.add("SLUICE_KAFKA=" + kafkaBootstrap());
    lines.add("SLUICE_DB_URL=" + dbUrl());
    lines.add("SLUICE_DB_USER=" + dbUser);
    redisUrl().ifPresent(url -> lines.add("SLUICE_REDIS=" + url));
    return List.copyOf(lines);
  }
}
