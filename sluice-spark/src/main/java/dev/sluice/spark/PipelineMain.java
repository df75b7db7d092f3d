package dev.sluice.spark;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.pipeline.Pipelines;
import dev.sluice.core.process.ExitStatus;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.core.process.PermanentFailure;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.spark.pipeline.PipelineContext;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.spark.stream.FaultPoints;
import dev.sluice.spark.stream.PipelineStatusListener;
import dev.sluice.store.Database;
import dev.sluice.store.redis.Redis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.util.ShutdownHookManager;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.exception.FlywayValidateException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.runtime.BoxedUnit;

/**
 * Runs registered pipelines, as the queries of one Spark application, against the configured Kafka
 * and PostgreSQL.
 *
 * <p>Run it through the launcher, which starts the embedded platform unless {@code SLUICE_KAFKA}
 * and {@code SLUICE_DB_URL} point elsewhere:
 *
 * <pre>{@code
 * ./sluice run reviews           # runs until Ctrl-C
 * ./sluice run reviews --once    # processes everything in the topic now, then exits 0
 * }</pre>
 *
 * <p>It logs each query it starts with its topic and checkpoint ({@code
 * $SLUICE_HOME/checkpoints/<query>}), and one line per batch with quarantined records. Killed at
 * any moment and started again, each query resumes from its checkpoint and counts every record
 * exactly once. While PostgreSQL or Kafka is away it waits, logging one line when the outage begins
 * and one when it ends, and restarts the failed queries from their checkpoints. Exit status ({@link
 * ExitStatus}): 0 when the queries ended (with {@code --once}: drained), 2 for bad flags or
 * settings, 3 for a permanent failure (no model, a checkpoint that does not match the database, a
 * schema the code does not know); any other means it crashed.
 */
public final class PipelineMain {
  private static final Logger log = LoggerFactory.getLogger(PipelineMain.class);

  private static final String TOPIC_PAIR = InputTopic.NAME_PATTERN + "=" + InputTopic.NAME_PATTERN;

  static final Flag<Boolean> ONCE =
      Flag.bool("--once", "process everything available in the topics, then exit");
  static final Flag<Long> TRIGGER_MS =
      Flag.of(
          "--trigger-ms",
          Parser.longAtLeast(0),
          "250",
          "milliseconds between micro-batch starts when data keeps arriving");
  static final Flag<String> TOPIC =
      Flag.of(
          "--topic",
          Parser.matching(
              "a Kafka topic name, or INPUT=TOPIC pairs separated by commas",
              "(" + InputTopic.NAME_PATTERN + ")|(" + TOPIC_PAIR + "(," + TOPIC_PAIR + ")*)"),
          null,
          "the topic to read instead of the pipeline's own (one pipeline with one input), or"
              + " NAME=TOPIC,... for each input or output to replace (one pipeline)");
  static final Flag<String> MODEL =
      Flag.of(
          "--model",
          Parser.matching(
              "a model version (a directory name under models/sentiment) or 'newest'",
              "[A-Za-z0-9][A-Za-z0-9._-]{0,99}"),
          null,
          "the model version to score with from now on, or 'newest'; without it a pipeline keeps"
              + " the model of its last committed batch");
  static final Flag<String> REDIS_NAMESPACE =
      Flag.of(
          "--redis-namespace",
          Parser.matching(
              "1 to 63 of a-z 0-9 _ -, starting with a letter", "[a-z][a-z0-9_-]{0,62}"),
          null,
          "what the pipeline's Redis keys start with instead of its name (one pipeline), so that a"
              + " test or a trial run keeps its keys apart");
  static final List<Flag<?>> FLAGS = List.of(ONCE, TRIGGER_MS, TOPIC, MODEL, REDIS_NAMESPACE);
  private static final Pattern LOCAL_SLOTS = Pattern.compile("local\\[(\\d+)]");

  /** How long the status listener waits for a topic's end offsets, the lag's measure. */
  static final Duration LAG_TIMEOUT = Duration.ofSeconds(2);

  private PipelineMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    Pipelines registry = Pipelines.registered();
    try {
      List<Flag<?>> declared = flags(registry);
      Flags flags = Flags.parse(List.of(args), declared);
      if (flags.helpRequested()) {
        System.out.print(
            Flags.usage("./sluice run <" + String.join("|", registry.names()) + ">...", declared));
        return;
      }
      if (flags.positional().isEmpty()) {
        throw new ConfigException(
            "expected the pipelines to run, one or more of: "
                + String.join(", ", registry.names()));
      }
      List<PipelineDefinition> pipelines = registry.requireAll(flags.positional());
      refuseOptionsOfOtherPipelines(registry, pipelines, flags);
      for (PipelineDefinition pipeline : pipelines) {
        pipeline
            .unmetRequirement()
            .ifPresent(
                missing -> {
                  throw new PermanentFailure(
                      "the " + pipeline.name() + " pipeline cannot run: " + missing);
                });
      }
      FaultPoints.validate();
      Map<String, String> topics = topicOverride(pipelines, flags);
      Trigger trigger =
          flags.isSet(ONCE)
              ? Trigger.AvailableNow()
              : Trigger.ProcessingTime(flags.get(TRIGGER_MS));
      Optional<String> redisNamespace = flags.optional(REDIS_NAMESPACE);
      if (redisNamespace.isPresent() && pipelines.size() != 1) {
        throw new ConfigException("--redis-namespace applies to one pipeline at a time");
      }
      System.exit(
          run(
              SluiceConfig.fromEnvironment(),
              pipelines,
              topics,
              trigger,
              flags.optional(MODEL),
              flags,
              redisNamespace));
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice run: " + problem));
      System.exit(ExitStatus.BAD_CONFIGURATION);
    } catch (PermanentFailure e) {
      log.error("permanent failure: {}", e.getMessage());
      System.err.println("sluice run: " + e.getMessage());
      System.exit(ExitStatus.PERMANENT_FAILURE);
    }
  }

  /** The launcher's own options, then those every registered pipeline declares. */
  static List<Flag<?>> flags(Pipelines registry) {
    List<Flag<?>> flags = new ArrayList<>(FLAGS);
    for (String name : registry.names()) {
      flags.addAll(registry.require(name).runFlags());
    }
    return List.copyOf(flags);
  }

  /** An option of a pipeline that is not being run would be silently ignored: refused instead. */
  static void refuseOptionsOfOtherPipelines(
      Pipelines registry, List<PipelineDefinition> running, Flags flags) {
    List<String> problems = new ArrayList<>();
    for (String name : registry.names()) {
      PipelineDefinition pipeline = registry.require(name);
      if (running.stream().anyMatch(p -> p.name().equals(name))) {
        continue;
      }
      for (Flag<?> flag : pipeline.runFlags()) {
        if (flags.given(flag)) {
          problems.add(
              flag.name() + " is an option of the " + name + " pipeline, which is not run");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  static Map<String, String> topicOverride(List<PipelineDefinition> pipelines, Flags flags) {
    Optional<String> topic = flags.optional(TOPIC);
    if (topic.isEmpty()) {
      return Map.of();
    }
    if (pipelines.size() != 1) {
      throw new ConfigException("--topic applies to one pipeline at a time");
    }
    List<InputTopic> inputs = pipelines.get(0).inputs();
    if (!topic.get().contains("=")) {
      if (inputs.size() != 1) {
        throw new ConfigException(
            "--topic: pipeline "
                + pipelines.get(0).name()
                + " reads several inputs; name each: --topic INPUT=TOPIC,... (inputs: "
                + String.join(", ", inputs.stream().map(InputTopic::name).toList())
                + ")");
      }
      return Map.of(inputs.get(0).name(), topic.get());
    }
    Map<String, String> topics = new java.util.LinkedHashMap<>();
    List<InputTopic> outputs = pipelines.get(0).outputs();
    for (String pair : topic.get().split(",")) {
      String input = pair.substring(0, pair.indexOf('='));
      if (inputs.stream().noneMatch(known -> known.name().equals(input))
          && outputs.stream().noneMatch(known -> known.name().equals(input))) {
        throw new ConfigException(
            "--topic: pipeline "
                + pipelines.get(0).name()
                + " has no input or output '"
                + input
                + "' (inputs: "
                + String.join(", ", inputs.stream().map(InputTopic::name).toList())
                + (outputs.isEmpty()
                    ? ""
                    : "; outputs: "
                        + String.join(", ", outputs.stream().map(InputTopic::name).toList()))
                + ")");
      }
      topics.put(input, pair.substring(pair.indexOf('=') + 1));
    }
    return Map.copyOf(topics);
  }

  static int run(
      SluiceConfig config,
      List<PipelineDefinition> pipelines,
      Map<String, String> topics,
      Trigger trigger,
      Optional<String> model,
      Flags options,
      Optional<String> redisNamespace) {
    long started = System.nanoTime();
    String kafka = config.requireKafka();
    List<String> names = pipelines.stream().map(PipelineDefinition::name).toList();
    // The Spark session takes longest to start: it starts while the schema and topics are made
    // ready, sized for the real-time partitions the settings give (checked against the topics).
    int plannedSlots = 0;
    for (PipelineDefinition pipeline : pipelines) {
      for (InputTopic input : pipeline.realTimeInputs()) {
        plannedSlots += config.partitions(input);
      }
    }
    String master =
        master(config.sparkMaster(), plannedSlots, Runtime.getRuntime().availableProcessors());
    CompletableFuture<SparkSession> session =
        CompletableFuture.supplyAsync(
            () ->
                SparkSessions.forPipelines(
                    "sluice-" + String.join("-", names), master, config.shufflePartitions()));
    Database database = Database.from(config);
    SparkSession spark;
    long migrated;
    try {
      // PostgreSQL and Kafka may still be starting (the demo starts everything at once) or away:
      // wait for them, one log line per outage.
      Outage.retrying("schema", () -> migrate(database));
      migrated = System.nanoTime();
      Outage.retrying("topics", () -> ensureTopics(config, kafka, pipelines, topics));
    } catch (RuntimeException e) {
      session.thenAccept(SparkSession::stop);
      throw e;
    }
    long topicsReady = System.nanoTime();
    spark = join(session);
    long sparkReady = System.nanoTime();
    // Asked once per batch on Spark's listener thread: a broker that does not answer soon costs
    // only the lag's precision (Spark's own figure stands in), never the other statuses' delay.
    KafkaTopics lagTopics = new KafkaTopics(kafka, LAG_TIMEOUT);
    try {
      spark
          .streams()
          .addListener(
              new PipelineStatusListener(
                  database,
                  pipelines.stream().flatMap(p -> p.queries().stream()).toList(),
                  lagTopics::endOffsetSum));
      List<RunningPipeline> running = new ArrayList<>();
      for (PipelineDefinition pipeline : pipelines) {
        PipelineContext context =
            new PipelineContext(
                spark,
                pipeline,
                database,
                kafka,
                topics,
                config.checkpoints(),
                config.models(),
                config.maxRecordsPerBatch(),
                trigger,
                model,
                options,
                config.redis().map(url -> Redis.from(config)),
                redisNamespace.orElse(pipeline.name()));
        RunningPipeline one =
            new RunningPipeline(
                pipeline.name(),
                context,
                Pipelines.part(pipeline, pipeline.sparkJob(), SparkPipeline.class));
        one.start();
        running.add(one);
      }
      stopQueriesFirstOnShutdown(running);
      long queriesStarted = System.nanoTime();
      log.info(
          "started in {} s: schema {} s, then topics {} s, Spark session ready {} s after them"
              + " (it started with the schema), queries {} s",
          seconds(queriesStarted - started),
          seconds(migrated - started),
          seconds(topicsReady - migrated),
          seconds(sparkReady - topicsReady),
          seconds(queriesStarted - sparkReady));
      return superviseUntilEnded(spark, running);
    } finally {
      spark.stop();
      lagTopics.close();
    }
  }

  private static Void migrate(Database database) {
    try {
      database.migrate();
      return null;
    } catch (FlywayException e) {
      if (Outage.isDatabaseOutage(e)
          && Outage.permanentCause(e).isEmpty()
          && !(e instanceof FlywayValidateException)) {
        throw e;
      }
      throw new PermanentFailure("the schema cannot be brought up to date: " + e.getMessage(), e);
    }
  }

  private static Void ensureTopics(
      SluiceConfig config,
      String kafka,
      List<PipelineDefinition> pipelines,
      Map<String, String> topics) {
    try (KafkaTopics admin = new KafkaTopics(kafka)) {
      for (PipelineDefinition pipeline : pipelines) {
        for (InputTopic input : pipeline.inputs()) {
          String topic = topics.getOrDefault(input.name(), input.name());
          int partitions = admin.ensure(topic, config.partitions(input));
          boolean realTime =
              pipeline.realTimeInputs().stream().anyMatch(rt -> rt.name().equals(input.name()));
          if (realTime && partitions > config.partitions(input)) {
            throw new ConfigException(
                "topic "
                    + topic
                    + " has "
                    + partitions
                    + " partitions but "
                    + input.partitions().env()
                    + " says "
                    + config.partitions(input)
                    + ": set it to "
                    + partitions
                    + ", so that its real-time query gets a task slot per partition");
          }
        }
        for (InputTopic output : pipeline.outputs()) {
          admin.ensure(
              topics.getOrDefault(output.name(), output.name()), config.partitions(output));
        }
      }
    }
    return null;
  }

  /**
   * Waits until every query has ended (with {@code --once}: drained; otherwise at shutdown). A
   * pipeline whose query fails for an outage (PostgreSQL or Kafka away, a timeout) is restarted
   * from its checkpoints with backoff until it runs again, which replays the interrupted batch
   * exactly once; a permanent failure stops every query and returns {@link
   * ExitStatus#PERMANENT_FAILURE}.
   */
  static int superviseUntilEnded(SparkSession spark, List<RunningPipeline> running) {
    while (true) {
      boolean busy = false;
      for (RunningPipeline pipeline : running) {
        Optional<Throwable> permanent = pipeline.check();
        if (permanent.isPresent()) {
          log.error(
              "{}: permanent failure, stopping: {}",
              pipeline.name,
              Outage.rootMessage(permanent.get()));
          running.forEach(RunningPipeline::stop);
          return ExitStatus.PERMANENT_FAILURE;
        }
        busy |= pipeline.busy();
      }
      if (!busy) {
        return ExitStatus.OK;
      }
      try {
        spark.streams().awaitAnyTermination(SUPERVISION_TICK_MILLIS);
      } catch (StreamingQueryException e) {
        // The next round finds the failed query and handles it.
      }
      spark.streams().resetTerminated();
    }
  }

  private static final long SUPERVISION_TICK_MILLIS = 500;

  /** One pipeline's queries, restarted through outages. */
  static final class RunningPipeline {
    private final String name;
    private final PipelineContext context;
    private final SparkPipeline job;
    private volatile List<StreamingQuery> queries = List.of();
    private Outage outage;
    private long restartAtNanos;
    private boolean restartPending;
    private int healthyTicks;

    RunningPipeline(String name, PipelineContext context, SparkPipeline job) {
      this.name = name;
      this.context = context;
      this.job = job;
    }

    void start() {
      queries = job.start(context);
      for (StreamingQuery query : queries) {
        log.info(
            "{}: query {} started, checkpoint {}",
            name,
            query.name(),
            context.checkpoint(query.name()).path());
      }
    }

    /**
     * Restarts what is due, notices failures and recoveries; returns a permanent failure if one
     * happened.
     */
    Optional<Throwable> check() {
      if (restartPending && System.nanoTime() - restartAtNanos >= 0) {
        restartPending = false;
        try {
          start();
        } catch (RuntimeException e) {
          return failed(e);
        }
      }
      for (StreamingQuery query : queries) {
        if (!query.isActive() && query.exception().isDefined()) {
          return failed(query.exception().get());
        }
      }
      if (outage != null) {
        // A trigger that fails reports its progress too, just before its query ends: recovered
        // means every query still runs a tick after it has reported progress.
        boolean progressing =
            !queries.isEmpty()
                && queries.stream().allMatch(q -> q.isActive() && q.lastProgress() != null);
        healthyTicks = progressing ? healthyTicks + 1 : 0;
        if (healthyTicks >= 2) {
          outage.ended();
          outage = null;
          healthyTicks = 0;
        }
      }
      return Optional.empty();
    }

    private Optional<Throwable> failed(Throwable failure) {
      stop();
      Optional<Throwable> permanent = Outage.permanentCause(failure);
      if (permanent.isPresent()) {
        return permanent;
      }
      if (outage == null) {
        outage = Outage.begin(name, failure);
      } else {
        outage.failedAgain(failure);
      }
      restartPending = true;
      restartAtNanos = System.nanoTime() + outage.nextDelay().toNanos();
      return Optional.empty();
    }

    boolean busy() {
      return restartPending || queries.stream().anyMatch(StreamingQuery::isActive);
    }

    void stop() {
      for (StreamingQuery query : queries) {
        if (!query.isActive()) {
          continue;
        }
        try {
          query.stop();
        } catch (TimeoutException | RuntimeException e) {
          log.warn("query {} did not stop cleanly: {}", query.name(), e.getMessage());
        }
      }
      queries = List.of();
    }
  }

  /**
   * On SIGTERM (Ctrl-C in the demo), stops the queries before Spark's own shutdown hook stops its
   * context: a query whose context is stopped under it fails with a NullPointerException inside
   * Spark and the process exits 1, as if it had crashed. A stopped query leaves its checkpoint and
   * the ledger consistent: an interrupted batch was never committed, and runs again at the next
   * start.
   */
  private static void stopQueriesFirstOnShutdown(List<RunningPipeline> running) {
    ShutdownHookManager.addShutdownHook(
        ShutdownHookManager.SPARK_CONTEXT_SHUTDOWN_PRIORITY() + 1,
        () -> {
          running.forEach(RunningPipeline::stop);
          return BoxedUnit.UNIT;
        });
  }

  private static SparkSession join(CompletableFuture<SparkSession> session) {
    try {
      return session.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  private static String seconds(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f", nanos / 1e9);
  }

  /**
   * The Spark master for the application. A real-time query holds a task slot per partition of its
   * topics for as long as it runs, so in local mode the default ({@code local[*]}, a slot per core)
   * grows by those slots: the micro-batch queries keep a slot per core. An explicit master is kept;
   * one with no slot to spare for micro-batch work is refused.
   */
  static String master(String configured, int realTimeSlots, int cores) {
    if (realTimeSlots == 0) {
      return configured;
    }
    if (configured.equals("local[*]")) {
      return "local[" + (cores + realTimeSlots) + "]";
    }
    Matcher local = LOCAL_SLOTS.matcher(configured);
    if (configured.equals("local")
        || (local.matches() && Integer.parseInt(local.group(1)) <= realTimeSlots)) {
      throw new ConfigException(
          "SLUICE_SPARK_MASTER='"
              + configured
              + "' leaves no task slot for micro-batch work: the real-time queries hold "
              + realTimeSlots
              + " (one per partition of their topics); use local["
              + (realTimeSlots + cores)
              + "] or leave it unset");
    }
    return configured;
  }
}
