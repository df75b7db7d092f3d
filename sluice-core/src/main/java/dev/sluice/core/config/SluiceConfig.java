package dev.sluice.core.config;

import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.Pipelines;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The platform settings every Sluice process shares, read from environment variables and validated
 * at start-up. Defaults run the embedded demo; setting {@code SLUICE_KAFKA}, {@code SLUICE_DB_URL}
 * or {@code SLUICE_REDIS} points Sluice at external systems instead of starting the embedded ones.
 */
public record SluiceConfig(
    Path home,
    Optional<String> kafka,
    Optional<String> dbUrl,
    String dbUser,
    Optional<Secret> dbPassword,
    String sparkMaster,
    int httpPort,
    Optional<Secret> apiToken,
    int embeddedKafkaPort,
    int embeddedPostgresPort,
    Optional<RedisUrl> redis,
    Optional<Secret> redisPassword,
    int embeddedRedisPort,
    boolean embeddedRedis,
    Map<String, Integer> topicPartitions,
    int shufflePartitions,
    long maxRecordsPerBatch,
    List<String> allowedHosts,
    int maxSseClients,
    int httpIdleTimeoutSeconds,
    int postIdWindow,
    List<String> jvmOptions) {

  public static final Setting<Path> HOME =
      Setting.of(
          "SLUICE_HOME",
          Parser.path(),
          ".sluice",
          "Where Sluice keeps data, checkpoints, models and datasets.");
  public static final Setting<String> KAFKA =
      Setting.of(
          "SLUICE_KAFKA",
          Parser.matching(
              "bootstrap servers as host:port[,host:port...]",
              "[^\\s,:]+:\\d{1,5}(,[^\\s,:]+:\\d{1,5})*"),
          null,
          "Kafka bootstrap servers; when unset, the embedded broker is started.");
  public static final Setting<String> DB_URL =
      Setting.of(
          "SLUICE_DB_URL",
          Parser.matching(
              "a PostgreSQL JDBC URL such as jdbc:postgresql://host:5432/sluice",
              "jdbc:postgresql://\\S+"),
          null,
          "PostgreSQL JDBC URL; when unset, the embedded PostgreSQL is started.");
  public static final Setting<String> DB_USER =
      Setting.of(
          "SLUICE_DB_USER", Parser.nonBlank("a database user name"), "sluice", "PostgreSQL user.");
  public static final Setting<Secret> DB_PASSWORD =
      Setting.secret(
          "SLUICE_DB_PASSWORD", "PostgreSQL password (the embedded database needs none).");
  public static final Setting<String> SPARK_MASTER =
      Setting.of(
          "SLUICE_SPARK_MASTER",
          Parser.matching(
              "local, local[N], local[*], spark://host:port, yarn or k8s://...",
              "local|local\\[(\\*|[1-9]\\d*)\\]|spark://\\S+|yarn|k8s://\\S+"),
          "local[*]",
          "Spark master for the pipelines.");
  public static final Setting<Integer> HTTP_PORT =
      Setting.of(
          "SLUICE_HTTP_PORT", Parser.port(), "8080", "Port of the API server and dashboard.");
  public static final Setting<Secret> API_TOKEN =
      Setting.secret(
          "SLUICE_API_TOKEN",
          "Bearer token that write endpoints require; when unset, the server generates one at start"
              + " into $SLUICE_HOME/api-token, readable only by its user.");
  public static final Setting<Integer> EMBEDDED_KAFKA_PORT =
      Setting.of(
          "SLUICE_EMBEDDED_KAFKA_PORT",
          Parser.port(),
          "19092",
          "Port of the embedded Kafka broker (its controller uses the next one).");
  public static final Setting<Integer> EMBEDDED_POSTGRES_PORT =
      Setting.of(
          "SLUICE_EMBEDDED_POSTGRES_PORT",
          Parser.port(),
          "15432",
          "Port of the embedded PostgreSQL.");
  public static final Setting<RedisUrl> REDIS =
      Setting.of(
          "SLUICE_REDIS",
          RedisUrl.parser(),
          null,
          "Redis for the pipelines that keep state there, redis://host:port[/db] (rediss:// for"
              + " TLS); when unset, ./sluice infra starts the embedded Redis.");
  public static final Setting<Secret> REDIS_PASSWORD =
      Setting.secret(
          "SLUICE_REDIS_PASSWORD",
          "Redis password (AUTH), never part of SLUICE_REDIS; the embedded Redis then requires it"
              + " too.");
  public static final Setting<Integer> EMBEDDED_REDIS_PORT =
      Setting.of(
          "SLUICE_EMBEDDED_REDIS_PORT", Parser.port(), "16379", "Port of the embedded Redis.");
  public static final Setting<Boolean> EMBEDDED_REDIS =
      Setting.of(
          "SLUICE_EMBEDDED_REDIS",
          Parser.bool(),
          "true",
          "Whether ./sluice infra starts the embedded Redis when SLUICE_REDIS is unset; false"
              + " leaves Redis out (the test kit starts one only for tests that ask for it).");
  public static final Setting<Integer> SHUFFLE_PARTITIONS =
      Setting.of(
          "SLUICE_SHUFFLE_PARTITIONS",
          Parser.intBetween(1, 10_000),
          Integer.toString(Runtime.getRuntime().availableProcessors()),
          "Spark shuffle partitions; sized to the cores (Spark's default of 200 is 3x slower here).");
  public static final Setting<Long> MAX_RECORDS_PER_BATCH =
      Setting.of(
          "SLUICE_MAX_RECORDS_PER_BATCH",
          Parser.longAtLeast(1),
          "100000",
          "Upper bound of Kafka records per micro-batch. Caught up, a batch reads what arrived"
              + " since the last one (small: low latency); behind, up to this bound (throughput).");

  public static final Setting<List<String>> ALLOWED_HOSTS =
      Setting.of(
          "SLUICE_ALLOWED_HOSTS",
          hostList(),
          "localhost,127.0.0.1,[::1]",
          "Host names the API server answers to (its Host header), against DNS rebinding; a name"
              + " without a port allows any port. Add the names clients use when it is exposed.");
  public static final Setting<Integer> MAX_SSE_CLIENTS =
      Setting.of(
          "SLUICE_MAX_SSE_CLIENTS",
          Parser.intBetween(1, 100_000),
          "1000",
          "Live streams (/api/stream) the server keeps open at once; more get 503 with Retry-After."
              + " Each takes a socket: raise the open-files limit with it.");
  public static final Setting<Integer> HTTP_IDLE_TIMEOUT_SECONDS =
      Setting.of(
          "SLUICE_HTTP_IDLE_TIMEOUT_SECONDS",
          Parser.intBetween(16, 3600),
          "30",
          "Seconds an HTTP connection may make no progress (read or written) before the server"
              + " closes it; above the live stream's 15 s keep-alive.");
  public static final Setting<Integer> POST_ID_WINDOW =
      Setting.of(
          "SLUICE_POST_ID_WINDOW",
          Parser.intBetween(0, 10_000_000),
          "100000",
          "Most recent posted record ids per write endpoint the server remembers, so a retried POST"
              + " with the same id is not written twice; 0 turns it off.");

  public static final Setting<List<String>> JVM_OPTIONS =
      Setting.of(
          "SLUICE_JVM_OPTIONS",
          jvmOptionList(),
          null,
          "Options added to every JVM Sluice starts (platform, pipelines, API server, producers),"
              + " after its own, such as -XX:+UseSerialGC on a small machine.");

  public static final List<Setting<?>> ALL =
      List.of(
          HOME,
          KAFKA,
          DB_URL,
          DB_USER,
          DB_PASSWORD,
          SPARK_MASTER,
          HTTP_PORT,
          API_TOKEN,
          EMBEDDED_KAFKA_PORT,
          EMBEDDED_POSTGRES_PORT,
          REDIS,
          REDIS_PASSWORD,
          EMBEDDED_REDIS_PORT,
          EMBEDDED_REDIS,
          SHUFFLE_PARTITIONS,
          MAX_RECORDS_PER_BATCH,
          ALLOWED_HOSTS,
          MAX_SSE_CLIENTS,
          HTTP_IDLE_TIMEOUT_SECONDS,
          POST_ID_WINDOW,
          JVM_OPTIONS);

  /**
   * Reads and validates every setting, the platform's and those of the registered pipelines' input
   * topics; throws {@link ConfigException} listing every bad value.
   */
  public static SluiceConfig from(Map<String, String> env) {
    Settings settings = new Settings(env);
    Map<String, Integer> topicPartitions = new LinkedHashMap<>();
    for (InputTopic input : pipelineTopics()) {
      topicPartitions.put(input.name(), orZero(settings.get(input.partitions())));
    }
    SluiceConfig config =
        new SluiceConfig(
            settings.get(HOME),
            settings.optional(KAFKA),
            settings.optional(DB_URL),
            settings.get(DB_USER),
            settings.optional(DB_PASSWORD),
            settings.get(SPARK_MASTER),
            orZero(settings.get(HTTP_PORT)),
            settings.optional(API_TOKEN),
            orZero(settings.get(EMBEDDED_KAFKA_PORT)),
            orZero(settings.get(EMBEDDED_POSTGRES_PORT)),
            settings.optional(REDIS),
            settings.optional(REDIS_PASSWORD),
            orZero(settings.get(EMBEDDED_REDIS_PORT)),
            Boolean.TRUE.equals(settings.get(EMBEDDED_REDIS)),
            Map.copyOf(topicPartitions),
            orZero(settings.get(SHUFFLE_PARTITIONS)),
            settings.optional(MAX_RECORDS_PER_BATCH).orElse(0L),
            settings.optional(ALLOWED_HOSTS).orElse(List.of()),
            orZero(settings.get(MAX_SSE_CLIENTS)),
            orZero(settings.get(HTTP_IDLE_TIMEOUT_SECONDS)),
            orZero(settings.get(POST_ID_WINDOW)),
            settings.optional(JVM_OPTIONS).orElse(List.of()));
    settings.validate();
    return config;
  }

  public static SluiceConfig fromEnvironment() {
    return from(System.getenv());
  }

  /** The settings of the registered pipelines: the partitions of each topic they read or write. */
  public static List<Setting<?>> pipelineSettings() {
    return pipelineTopics().stream().<Setting<?>>map(InputTopic::partitions).toList();
  }

  /** Each topic the registered pipelines read or write, once by name: pipelines may share one. */
  private static List<InputTopic> pipelineTopics() {
    Map<String, InputTopic> byName = new LinkedHashMap<>();
    Pipelines.registered()
        .all()
        .forEach(
            p -> {
              p.inputs().forEach(i -> byName.putIfAbsent(i.name(), i));
              p.outputs().forEach(o -> byName.putIfAbsent(o.name(), o));
            });
    return List.copyOf(byName.values());
  }

  /** How many partitions Sluice gives an input topic when it creates it. */
  public int partitions(InputTopic input) {
    Integer configured = topicPartitions.get(input.name());
    return configured != null
        ? configured
        : input.partitions().parser().parse(input.partitions().defaultText());
  }

  private static int orZero(Integer value) {
    return value == null ? 0 : value;
  }

  /** JVM options separated by spaces, each starting with a dash (a value cannot hold a space). */
  static Parser<List<String>> jvmOptionList() {
    return Parser.of(
        "JVM options separated by spaces, each starting with -, e.g. -XX:+UseSerialGC -Xss2m",
        text -> {
          List<String> options = List.of(text.split("\\s+"));
          for (String option : options) {
            if (!option.startsWith("-") || option.length() < 2) {
              return null;
            }
          }
          return options;
        });
  }

  /**
   * A host list: comma-separated names, IPv4 addresses or bracketed IPv6 addresses, each with an
   * optional port; kept lower case, as Host headers are compared.
   */
  static Parser<List<String>> hostList() {
    Pattern host =
        Pattern.compile(
            "(\\[[0-9a-f:.]+\\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)"
                + "(:\\d{1,5})?");
    return Parser.of(
        "host names, IPv4 or [IPv6] addresses, each with an optional :port, separated by commas,"
            + " e.g. localhost,127.0.0.1,[::1],sluice.example.com:443",
        text -> {
          List<String> hosts = new ArrayList<>();
          for (String entry : text.split(",", -1)) {
            String name = entry.strip().toLowerCase(Locale.ROOT);
            if (!host.matcher(name).matches()) {
              return null;
            }
            hosts.add(name);
          }
          return List.copyOf(hosts);
        });
  }

  /** Where the server keeps the token it generated when none is configured. */
  public Path apiTokenFile() {
    return home.resolve("api-token");
  }

  public Path checkpoints() {
    return home.resolve("checkpoints");
  }

  public Path models() {
    return home.resolve("models");
  }

  public Path datasets() {
    return home.resolve("datasets");
  }

  /** The Kafka bootstrap servers; the caller must have started or found a broker. */
  public String requireKafka() {
    return kafka.orElseThrow(
        () ->
            new ConfigException(
                "SLUICE_KAFKA is not set: expected bootstrap servers as host:port, or start the embedded platform with './sluice infra'"));
  }

  /** The Redis address; the caller must have started or found a Redis. */
  public RedisUrl requireRedis() {
    return redis.orElseThrow(
        () ->
            new ConfigException(
                "SLUICE_REDIS is not set: expected "
                    + RedisUrl.EXPECTED
                    + ", or start the embedded platform with './sluice infra'"));
  }

  /** The JDBC URL; the caller must have started or found a database. */
  public String requireDbUrl() {
    return dbUrl.orElseThrow(
        () ->
            new ConfigException(
                "SLUICE_DB_URL is not set: expected a PostgreSQL JDBC URL, or start the embedded platform with './sluice infra'"));
  }
}
