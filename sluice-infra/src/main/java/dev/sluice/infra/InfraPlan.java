package dev.sluice.infra;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.InfraLines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code ./sluice infra} starts and where, derived from the validated settings: the embedded
 * broker only when {@code SLUICE_KAFKA} is unset, the embedded database only when {@code
 * SLUICE_DB_URL} is unset.
 */
record InfraPlan(
    Path home,
    Optional<String> externalKafka,
    Optional<String> externalDbUrl,
    String dbUser,
    int kafkaPort,
    int postgresPort,
    List<TopicPlan> topics) {

  /**
   * A registered pipeline's input topic, created when missing.
   *
   * @param setting the environment variable that sets {@code partitions}
   */
  record TopicPlan(String name, int partitions, String setting) {}

  static final String DATABASE = "sluice";
  static final String LOOPBACK = "127.0.0.1";

  /** Checks the combinations a single setting cannot; throws one line per problem. */
  static InfraPlan from(SluiceConfig config) {
    InfraPlan plan =
        new InfraPlan(
            config.home().toAbsolutePath().normalize(),
            config.kafka(),
            config.dbUrl(),
            config.dbUser(),
            config.embeddedKafkaPort(),
            config.embeddedPostgresPort(),
            Pipelines.registered().all().stream()
                .flatMap(pipeline -> pipeline.inputs().stream())
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

  /** The lines printed when ready and written to {@code infra.env}, in order. */
  List<String> readyLines() {
    return List.of(
        "SLUICE_KAFKA=" + kafkaBootstrap(), "SLUICE_DB_URL=" + dbUrl(), "SLUICE_DB_USER=" + dbUser);
  }
}
