package dev.sluice.server;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import dev.sluice.store.redis.Redis;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Sluice server: every registered pipeline's API and dashboard page, the live stream, and
 * the overview of all pipelines.
 *
 * <p>Normally started by {@code ./sluice demo}. By hand, with the embedded platform running ({@code
 * ./sluice infra}) and the module built:
 *
 * <pre>{@code
 * SLUICE_KAFKA=127.0.0.1:19092 SLUICE_DB_URL=jdbc:postgresql://127.0.0.1:15432/sluice \
 *   java -cp "sluice-server/target/classes:$(cat sluice-server/target/runtime-classpath.txt)" \
 *   dev.sluice.server.ServerMain
 * }</pre>
 *
 * <p>It brings the schema up to date, creates the pipelines' input topics if missing, and prints
 * one line when it listens:
 *
 * <pre>{@code
 * Dashboard: http://127.0.0.1:8080/
 * }</pre>
 *
 * <p>Settings (environment): {@code SLUICE_KAFKA}, {@code SLUICE_DB_URL}, {@code SLUICE_DB_USER},
 * {@code SLUICE_DB_PASSWORD}, {@code SLUICE_HTTP_PORT} (8080), {@code SLUICE_API_TOKEN} (every POST
 * requires {@code Authorization: Bearer <token>}; when unset, the server generates a token into
 * {@code $SLUICE_HOME/api-token}, mode 0600, and logs that path, never the token), {@code
 * SLUICE_ALLOWED_HOSTS}, {@code SLUICE_MAX_SSE_CLIENTS}, {@code SLUICE_HTTP_IDLE_TIMEOUT_SECONDS},
 * {@code SLUICE_POST_ID_WINDOW}, {@code SLUICE_<TOPIC>_PARTITIONS} for each input topic (e.g.
 * {@code SLUICE_REVIEWS_PARTITIONS}). It listens on 127.0.0.1 only. A bad setting prints one line
 * per problem and exits with status 2; failing to start (database, Kafka or port unavailable)
 * prints the reason and exits with 1.
 */
public final class ServerMain {
  private static final Logger LOG = LoggerFactory.getLogger(ServerMain.class);
  static final String HOST = "127.0.0.1";

  private ServerMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    if (args.length > 0) {
      System.err.println(
          "sluice server takes no arguments; it is configured by SLUICE_* environment variables");
      System.exit(2);
    }
    SluiceConfig config;
    String kafka;
    Database database;
    try {
      config = SluiceConfig.fromEnvironment();
      List<String> problems = new ArrayList<>();
      kafka = required(config::requireKafka, problems);
      String dbUrl = required(config::requireDbUrl, problems);
      if (!problems.isEmpty()) {
        throw new ConfigException(problems);
      }
      database = new Database(dbUrl, config.dbUser(), config.dbPassword().orElse(null));
    } catch (ConfigException e) {
      e.problems().forEach(System.err::println);
      System.exit(2);
      return;
    }

    SluiceServer server;
    try {
      ApiToken token = ApiToken.configuredOrGenerated(config.apiToken(), config.apiTokenFile());
      if (token.source().equals(SluiceConfig.API_TOKEN.env())) {
        LOG.info("writes require the API token set by SLUICE_API_TOKEN");
      } else {
        LOG.info(
            "writes require the API token generated for this run; it is in {} (readable only by"
                + " this user)",
            token.source());
      }
      database.migrate();
      Pipelines pipelines = Pipelines.registered();
      try (KafkaTopics topics = new KafkaTopics(kafka)) {
        for (PipelineDefinition pipeline : pipelines.all()) {
          for (InputTopic input : pipeline.inputs()) {
            topics.ensure(input.name(), config.partitions(input));
          }
        }
      }
      server =
          SluiceServer.start(
              new SluiceServer.Options(
                  HOST,
                  config.httpPort(),
                  kafka,
                  database,
                  token.token(),
                  pipelines,
                  Map.of(),
                  SluiceServer.HttpPolicy.from(config),
                  config.redis().isPresent() ? Optional.of(Redis.from(config)) : Optional.empty()));
    } catch (RuntimeException e) {
      System.err.println("sluice server: cannot start: " + reason(e));
      System.exit(1);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "server-shutdown"));
    System.out.println("Dashboard: http://" + HOST + ":" + server.port() + "/");
    System.out.flush();
  }

  private static String required(java.util.function.Supplier<String> value, List<String> problems) {
    try {
      return value.get();
    } catch (ConfigException e) {
      problems.addAll(e.problems());
      return null;
    }
  }

  /**
   * The messages along the cause chain, first lines only: what went wrong, without a stack trace.
   */
  static String reason(Throwable e) {
    StringBuilder reason = new StringBuilder();
    for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
      String message = t.getMessage();
      if (message == null || message.isBlank()) {
        continue;
      }
      String firstLine = message.strip().lines().findFirst().orElse("");
      if (reason.indexOf(firstLine) < 0) {
        if (reason.length() > 0) {
          reason.append(": ");
        }
        reason.append(firstLine);
      }
    }
    return reason.length() == 0 ? e.getClass().getSimpleName() : reason.toString();
  }
}
