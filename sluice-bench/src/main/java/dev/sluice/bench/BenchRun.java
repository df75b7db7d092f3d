package dev.sluice.bench;

import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.files.Directories;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.store.Database;
import dev.sluice.store.redis.Redis;
import dev.sluice.store.redis.RedisKeys;
import dev.sluice.store.redis.RedisPool;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import redis.clients.jedis.Jedis;

/**
 * The fresh resources of one benchmark run, so it never touches the demo's topics, tables, Redis
 * keys or checkpoints: per phase a topic {@code bench-<pipeline>-<run>[-latency]} (and one per
 * output of the pipeline, that name and {@code -<output>}), a database schema {@code
 * bench_<run>_<phase>} with the platform's and the pipeline's tables, a Redis namespace {@code
 * bench-<run>-<phase>} and a checkpoint under {@code $SLUICE_HOME/bench/<run>/<phase>}. Each phase
 * has its own schema because both start a new query whose batch ids start at 0 again, and the
 * ledger would take them for replays.
 */
public final class BenchRun {
  private static final long KAFKA_TIMEOUT_SECONDS = 30;

  /** The measurements that each need a pipeline of their own. */
  public enum Phase {
    DRAIN("", "drain"),
    LATENCY("-latency", "latency"),
    /** A detection evaluation ({@code ./sluice eval}). */
    EVAL("-eval", "eval"),
    /**
     * The plain loop: it reads the drain's topic and writes its outputs (and Redis) apart from the
     * pipeline's, so the two results compare.
     */
    PLAIN("-plain", "plain");

    private final String topicSuffix;
    private final String name;

    Phase(String topicSuffix, String name) {
      this.topicSuffix = topicSuffix;
      this.name = name;
    }
  }

  private final String id;
  private final PipelineDefinition pipeline;
  private final String kafka;
  private final Database database;
  private final Optional<Redis> redis;
  private final ToIntFunction<InputTopic> partitions;
  private final Path dir;
  private final List<String> createdTopics = new ArrayList<>();
  private final List<String> createdSchemas = new ArrayList<>();
  private final List<String> usedNamespaces = new ArrayList<>();
  private boolean cleanedUp;

  BenchRun(
      String id,
      PipelineDefinition pipeline,
      String kafka,
      Database database,
      Optional<Redis> redis,
      ToIntFunction<InputTopic> partitions,
      Path home) {
    if (!id.matches("[0-9a-z]{1,40}")) {
      throw new IllegalArgumentException("a run id is lowercase letters and digits: " + id);
    }
    this.id = id;
    this.pipeline = pipeline;
    this.kafka = kafka;
    this.database = database;
    this.redis = redis;
    this.partitions = partitions;
    this.dir = home.resolve("bench").resolve(id).toAbsolutePath();
  }

  /**
   * A run named by the current time in milliseconds: unique unless two runs start in the same one.
   */
  public static BenchRun create(SluiceConfig config, PipelineDefinition pipeline) {
    return new BenchRun(
        Long.toString(System.currentTimeMillis()),
        pipeline,
        config.requireKafka(),
        Database.from(config),
        config.redis().map(url -> Redis.from(config)),
        config::partitions,
        config.home());
  }

  String id() {
    return id;
  }

  Path dir() {
    return dir;
  }

  String topic(Phase phase) {
    return "bench-" + pipeline.name() + "-" + id + phase.topicSuffix;
  }

  /** The phase's topic for one of the pipeline's inputs, for pipelines with several. */
  public String topic(Phase phase, InputTopic input) {
    return topic(phase) + "-" + input.name();
  }

  /** Creates the phase's topic for one of the pipeline's inputs. */
  public synchronized void createTopic(Phase phase, InputTopic input, int partitions) {
    try (KafkaTopics topics = new KafkaTopics(kafka)) {
      createdTopics.add(topic(phase, input));
      topics.ensure(topic(phase, input), partitions);
    }
  }

  /**
   * The phase's target ({@link BenchTarget}): its topic in place of the measured {@code input}, a
   * new topic for each of the pipeline's outputs, {@code database} and its Redis namespace. The
   * plain loop's phase reads the drain's topic.
   */
  public BenchTarget target(Phase phase, InputTopic input, Database database) {
    Map<String, String> topics = new LinkedHashMap<>();
    String topic = topic(phase == Phase.PLAIN ? Phase.DRAIN : phase);
    topics.put(input.name(), topic);
    for (InputTopic output : pipeline.outputs()) {
      createTopic(phase, output, partitions.applyAsInt(output));
      topics.put(output.name(), topic(phase, output));
    }
    String namespace = redisNamespace(phase);
    synchronized (this) {
      usedNamespaces.add(namespace);
    }
    return new BenchTarget(kafka, topic, topics, database, redis, namespace);
  }

  String redisNamespace(Phase phase) {
    return "bench-" + id + "-" + phase.name;
  }

  String schema(Phase phase) {
    return "bench_" + id + "_" + phase.name;
  }

  public Path checkpoints(Phase phase) {
    return dir.resolve(phase.name);
  }

  synchronized void createTopic(Phase phase, int partitions) {
    try (KafkaTopics topics = new KafkaTopics(kafka)) {
      createdTopics.add(topic(phase));
      topics.ensure(topic(phase), partitions);
    }
  }

  /**
   * Creates the phase's schema with the platform's and the pipeline's tables; returns the database
   * as the pipeline sees it.
   */
  public synchronized Database createSchema(Phase phase) {
    String schema = schema(phase);
    try (Connection connection = database.connect();
        Statement statement = connection.createStatement()) {
      createdSchemas.add(schema);
      // An identifier cannot be a parameter; the name is checked to be [0-9a-z_] in the
      // constructor.
      statement.execute("CREATE SCHEMA " + schema);
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot create the benchmark's schema " + schema + ": " + e.getMessage(), e);
    }
    Database inSchema =
        new Database(withSchema(database.url(), schema), database.user(), database.password());
    inSchema.migrate(List.of(pipeline));
    return inSchema;
  }

  static String withSchema(String url, String schema) {
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  /**
   * Deletes the run's topics, schemas and checkpoints; safe to call twice (from the main thread and
   * a shutdown hook). Problems are reported, not thrown: a failed cleanup must not hide the
   * results.
   */
  public synchronized void cleanUp(PrintStream progress) {
    if (cleanedUp) {
      return;
    }
    cleanedUp = true;
    if (!createdTopics.isEmpty()) {
      try (Admin admin = Admin.create(adminProperties())) {
        admin.deleteTopics(createdTopics).all().get(KAFKA_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (Exception e) {
        progress.println(
            "bench: could not delete the topics " + createdTopics + ": " + e.getMessage());
      }
    }
    for (String schema : createdSchemas) {
      try (Connection connection = database.connect();
          Statement statement = connection.createStatement()) {
        statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
      } catch (SQLException e) {
        progress.println("bench: could not drop the schema " + schema + ": " + e.getMessage());
      }
    }
    if (redis.isPresent() && !usedNamespaces.isEmpty()) {
      try (RedisPool pool = redis.get().openPool();
          Jedis jedis = pool.borrow()) {
        for (String namespace : usedNamespaces) {
          RedisKeys.delete(jedis, namespace);
        }
      } catch (RuntimeException e) {
        progress.println(
            "bench: could not delete the Redis namespaces "
                + usedNamespaces
                + ": "
                + e.getMessage());
      }
    }
    try {
      Directories.deleteRecursively(dir);
      Path benchDir = dir.getParent();
      try (Stream<Path> left = Files.list(benchDir)) {
        if (left.findAny().isEmpty()) {
          Files.delete(benchDir);
        }
      }
    } catch (IOException | UncheckedIOException e) {
      progress.println("bench: could not delete " + dir + ": " + e.getMessage());
    }
  }

  /** What a kept run left behind, for the user to inspect or remove. */
  public synchronized String kept() {
    return "topics "
        + createdTopics
        + ", schemas "
        + createdSchemas
        + (redis.isPresent() ? ", Redis namespaces " + usedNamespaces : "")
        + ", checkpoints "
        + dir;
  }

  private Properties adminProperties() {
    Properties props = new Properties();
    props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka);
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-bench-admin");
    props.put(
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
        (int) TimeUnit.SECONDS.toMillis(KAFKA_TIMEOUT_SECONDS));
    return props;
  }
}
