package dev.sluice.spark.bench;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.core.process.Schedulers;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.core.reviews.SentimentModels;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.reviews.ImdbDataset;
import dev.sluice.loadgen.reviews.ReviewReplayer;
import dev.sluice.loadgen.reviews.ReviewSource;
import dev.sluice.loadgen.reviews.ReviewSources;
import dev.sluice.spark.SparkSessions;
import dev.sluice.spark.bench.BenchRun.Phase;
import dev.sluice.spark.model.SentimentModel;
import dev.sluice.spark.reviews.ReviewsPipeline;
import dev.sluice.store.Database;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

/**
 * Measures the reviews pipeline on this machine against the practical limit of the machine, and its
 * end-to-end latency under a steady load.
 *
 * <p>Run it through the launcher, which starts the embedded platform (unless {@code SLUICE_KAFKA}
 * and {@code SLUICE_DB_URL} point elsewhere) and fetches the dataset and trains a model when
 * missing:
 *
 * <pre>{@code
 * ./sluice bench reviews                          # 1,000,000 reviews, then 20,000 reviews/s for 60 s
 * ./sluice bench reviews --records 50000 --latency-seconds 10
 * ./sluice bench reviews --latency-seconds 0      # throughput only
 * }</pre>
 *
 * <p>What it does, on resources of its own ({@link BenchRun}: fresh topics, database schemas and
 * checkpoints, all removed at the end unless {@code --keep}):
 *
 * <ol>
 *   <li><b>Load</b>: the IMDB reviews, cycled with fresh ids, into a new topic, as fast as Kafka
 *       takes them.
 *   <li><b>Pipeline</b>: the real reviews pipeline (Kafka source, model, exactly-once PostgreSQL
 *       sink) drains the topic on Spark {@code local[2]} with {@code Trigger.AvailableNow}; timed
 *       from the query's start to its end (Spark's start-up and the model's loading are reported
 *       apart). The ledger must then hold every record: a run that lost or doubled records fails.
 *   <li><b>Plain loop</b>: the least work any pipeline must do, without Spark ({@link
 *       PlainLoopBaseline}): two threads consume the same topic, decode, tokenize and count words
 *       in memory. Its word counts must equal the pipeline's {@code word_counts} exactly.
 *   <li><b>Latency</b>: the pipeline runs continuously on a second topic (trigger every {@code
 *       --trigger-ms}) while a paced producer sends {@code --latency-rate} reviews/s for {@code
 *       --latency-seconds}; per review, the time from its Kafka timestamp to its batch's commit
 *       ({@link LatencyStats}). If the producer or the pipeline could not keep up, the output says
 *       so.
 * </ol>
 *
 * <p>Progress goes to stderr, with where each micro-batch spends its time ({@link BatchTimeline})
 * and how much CPU this JVM used per record; stdout gets a summary with the targets (pipeline at
 * least half the plain loop's rate; p99 latency under 2 s) and, as its last line, one JSON object.
 * A run on a shared 2-core machine (load average 4 to 9 from other work) printed:
 *
 * <pre>{@code
 * Sluice reviews benchmark: 1,000,000 reviews, Spark local[2], 2 cores, load average 5.1 at the end
 *   load                      63,671 reviews/s
 *   pipeline                   3,691 records/s  (270.9 s, 3,952 records per CPU-second; Spark start-up 23.1 s not included)
 *   plain loop                12,939 records/s  (77.3 s, 17,963 records per CPU-second; 2 threads, no Spark)
 *   ratio                      0.285            target >= 0.50: MISSED
 *   latency p50 / p99     73,847 / 102,281 ms   target p99 < 2,000 ms: MISSED (max 102,539 ms, 404,470 reviews)
 *   latency load              19,172 reviews/s for 60 s (target 20,000/s)
 *   latency caveat      the pipeline could NOT keep up: only 404,470 of 1,200,000 reviews were committed before it was stopped; the percentiles cover the committed ones only
 * {"records":1000000,"pipeline_rps":3691,"baseline_rps":12939,"ratio":0.285,"latency_p50_ms":73847,"latency_p99_ms":102281}
 * }</pre>
 *
 * <p>With {@code --latency-seconds 0} the latency values are {@code null}. Exit code 0 when the run
 * is valid, whether or not the targets are met; 1 when it is invalid (lost or doubled records, word
 * counts that differ from the plain loop's) or failed; 2 for bad options or missing inputs.
 */
public final class ReviewsBench {
  static final Flag<Integer> RECORDS =
      Flag.of(
          "--records",
          Parser.intBetween(1_000, 10_000_000),
          "1000000",
          "reviews to load, drain through the pipeline and read with the plain loop");
  static final Flag<Integer> LATENCY_RATE =
      Flag.of(
          "--latency-rate",
          Parser.intBetween(100, 200_000),
          "20000",
          "reviews per second sent during the latency measurement");
  static final Flag<Integer> LATENCY_SECONDS =
      Flag.of(
          "--latency-seconds",
          Parser.intBetween(0, 600),
          "60",
          "seconds of steady load for the latency measurement (0: skip it)");
  static final Flag<Integer> TRIGGER_MS =
      Flag.of(
          "--trigger-ms",
          Parser.intBetween(0, 60_000),
          "250",
          "milliseconds between micro-batch starts during the latency measurement");
  static final Flag<Boolean> KEEP =
      Flag.bool("--keep", "keep the run's topics, database schemas and checkpoints for inspection");
  static final List<Flag<?>> FLAGS =
      List.of(RECORDS, LATENCY_RATE, LATENCY_SECONDS, TRIGGER_MS, KEEP);

  static final String USAGE = "sluice bench reviews";
  static final String MASTER = "local[2]";
  static final int SHUFFLE_PARTITIONS = 2;
  static final int PLAIN_LOOP_THREADS = 2;

  /** Bounds each phase (load, drain, plain loop): far beyond what 10,000,000 records need. */
  static final Duration PHASE_TIMEOUT = Duration.ofMinutes(30);

  static final Duration PROGRESS_EVERY = Duration.ofSeconds(5);

  /**
   * How long the latency phase waits for the pipeline to have read the (empty) topic before
   * sending.
   */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  /** How long the pipeline may take to commit what was sent, after the producer stopped. */
  static final Duration MIN_CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

  /** How long the diagnostics wait for Spark's asynchronous listener events after a query ended. */
  static final Duration LISTENER_WAIT = Duration.ofSeconds(3);

  private ReviewsBench() {}

  /** The benchmark's options, validated. */
  record Options(int records, int latencyRate, int latencySeconds, int triggerMs, boolean keep) {
    /** The options, or {@code null} when help was asked for. */
    static Options parse(List<String> args) {
      Flags flags = Flags.parse(args, FLAGS);
      if (flags.helpRequested()) {
        return null;
      }
      if (!flags.positional().isEmpty()) {
        throw new ConfigException(
            "unexpected arguments " + flags.positional() + ": bench reviews takes only options");
      }
      return new Options(
          flags.get(RECORDS),
          flags.get(LATENCY_RATE),
          flags.get(LATENCY_SECONDS),
          flags.get(TRIGGER_MS),
          flags.isSet(KEEP));
    }
  }

  /**
   * The run produced numbers it cannot vouch for (lost records, results that disagree): no result.
   */
  static final class InvalidRunException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    InvalidRunException(String message) {
      super(message);
    }
  }

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    Options options;
    SluiceConfig config;
    try {
      options = Options.parse(List.of(args));
      if (options == null) {
        System.out.print(Flags.usage(USAGE, FLAGS));
        System.exit(0);
        return;
      }
      config = SluiceConfig.fromEnvironment();
      requireInputs(config);
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice bench: " + problem));
      System.exit(2);
      return;
    }
    AtomicReference<SparkSession> spark = new AtomicReference<>();
    int code;
    try {
      BenchReport report =
          run(
              config,
              options,
              () ->
                  spark.updateAndGet(
                      s ->
                          s != null
                              ? s
                              : SparkSessions.create(
                                  "sluice-bench-reviews", MASTER, SHUFFLE_PARTITIONS)),
              System.err);
      report
          .summary(Runtime.getRuntime().availableProcessors(), loadAverage())
          .forEach(System.out::println);
      System.out.println(report.json());
      code = 0;
    } catch (ConfigException e) {
      e.problems().forEach(problem -> System.err.println("sluice bench: " + problem));
      code = 2;
    } catch (InvalidRunException e) {
      System.err.println("sluice bench: INVALID RUN, no result: " + e.getMessage());
      code = 1;
    } catch (InterruptedException e) {
      code = 130;
    } catch (RuntimeException e) {
      System.err.println("sluice bench: failed: " + e.getMessage());
      e.printStackTrace();
      code = 1;
    } finally {
      if (spark.get() != null) {
        spark.get().stop();
      }
    }
    System.exit(code);
  }

  /** The launcher provides both; started by hand, the bench says what is missing. */
  static void requireInputs(SluiceConfig config) {
    List<String> problems = new ArrayList<>();
    if (config.kafka().isEmpty()) {
      problems.add(
          "SLUICE_KAFKA is not set: run the benchmark with './sluice bench reviews', which starts the platform");
    }
    if (config.dbUrl().isEmpty()) {
      problems.add(
          "SLUICE_DB_URL is not set: run the benchmark with './sluice bench reviews', which starts the platform");
    }
    Path dataset = config.datasets().resolve(ImdbDataset.FILE_NAME);
    if (!Files.isRegularFile(dataset)) {
      problems.add("no IMDB dataset at " + dataset + ": fetch it with './sluice dataset'");
    }
    if (SentimentModels.newest(config.models()).isEmpty()) {
      problems.add(
          "no sentiment model under "
              + SentimentModels.root(config.models())
              + ": train one with './sluice train'");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
  }

  /**
   * Runs every phase on fresh resources and removes them afterwards (unless {@code keep}).
   *
   * @param spark gives the Spark session, called once, after the load (its start-up is timed)
   * @throws InvalidRunException when a check of the results fails
   */
  static BenchReport run(
      SluiceConfig config, Options options, Supplier<SparkSession> spark, PrintStream progress)
      throws InterruptedException {
    BenchRun run = BenchRun.create(config);
    Thread cleanUp = new Thread(() -> run.cleanUp(progress), "bench-clean-up");
    if (!options.keep()) {
      Runtime.getRuntime().addShutdownHook(cleanUp);
    }
    try {
      return measure(config, options, spark, run, progress);
    } finally {
      if (options.keep()) {
        progress.println("bench: kept " + run.kept());
      } else {
        run.cleanUp(progress);
        try {
          Runtime.getRuntime().removeShutdownHook(cleanUp);
        } catch (IllegalStateException e) {
          // The JVM is shutting down: the hook runs the (now finished) clean-up anyway.
        }
      }
    }
  }

  private static BenchReport measure(
      SluiceConfig config,
      Options options,
      Supplier<SparkSession> sparkSupplier,
      BenchRun run,
      PrintStream progress)
      throws InterruptedException {
    String kafka = config.requireKafka();
    int partitions = config.partitions(ReviewsDefinition.INPUT);
    long maxPerBatch = config.maxRecordsPerBatch();
    int records = options.records();
    progress.printf(
        Locale.ROOT,
        "bench: run %s on %d cores, load average %.1f (other work on the machine lowers every rate)%n",
        run.id(),
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    long setupStart = System.nanoTime();
    Path dataset = config.datasets().resolve(ImdbDataset.FILE_NAME);
    ReviewSource reviews = ReviewSources.imdbFile(dataset, true);
    run.createTopic(Phase.DRAIN, partitions);
    Database drainDatabase = run.createSchema(Phase.DRAIN);
    progress.printf(
        Locale.ROOT,
        "bench: read %,d reviews from %s, created topic %s and schema %s in %.1f s%n",
        reviews.size().orElse(0),
        dataset,
        run.topic(Phase.DRAIN),
        run.schema(Phase.DRAIN),
        secondsSince(setupStart));
    progress.printf(
        Locale.ROOT,
        "load: %,d reviews into topic %s (%d partitions)%n",
        records,
        run.topic(Phase.DRAIN),
        partitions);
    double loadPerSecond = load(kafka, run.topic(Phase.DRAIN), reviews, records, progress);

    long sparkStart = System.nanoTime();
    SparkSession spark = sparkSupplier.get();
    double sparkSeconds = secondsSince(sparkStart);
    long modelStart = System.nanoTime();
    SentimentModel model = SentimentModel.loadNewest(config.models());
    ReviewsPipeline pipeline = new ReviewsPipeline(model);
    double modelSeconds = secondsSince(modelStart);
    progress.printf(
        Locale.ROOT,
        "spark: started in %.1f s (%s, %d shuffle partitions); model %s loaded in %.1f s%n",
        sparkSeconds,
        MASTER,
        SHUFFLE_PARTITIONS,
        model.version(),
        modelSeconds);

    progress.printf(
        Locale.ROOT,
        "pipeline: draining %s into schema %s, up to %,d records per batch%n",
        run.topic(Phase.DRAIN),
        run.schema(Phase.DRAIN),
        maxPerBatch);
    Timed drained =
        drain(
            spark,
            pipeline,
            kafka,
            run,
            drainDatabase,
            maxPerBatch,
            records,
            config.models(),
            progress);

    long plainLoopCpu = processCpuNanos();
    PlainLoopBaseline.Result baseline =
        plainLoop(kafka, run.topic(Phase.DRAIN), records, progress, plainLoopCpu);
    double plainLoopCpuSeconds = (processCpuNanos() - plainLoopCpu) / 1e9;
    compareWordCounts(BenchTables.wordCounts(drainDatabase), baseline.wordCounts());
    progress.printf(
        Locale.ROOT,
        "plain loop: its word counts equal the pipeline's (%,d distinct words, %,d occurrences)%n",
        baseline.wordCounts().size(),
        baseline.wordCounts().values().stream().mapToLong(Long::longValue).sum());

    BenchReport.Latency latency =
        options.latencySeconds() == 0
            ? null
            : latency(
                spark,
                pipeline,
                kafka,
                run,
                reviews,
                partitions,
                maxPerBatch,
                config.models(),
                options,
                progress);
    return new BenchReport(
        records,
        loadPerSecond,
        sparkSeconds + modelSeconds,
        drained.seconds(),
        drained.cpuSeconds(),
        baseline.elapsed().toNanos() / 1e9,
        plainLoopCpuSeconds,
        latency);
  }

  private static double load(
      String kafka, String topic, ReviewSource reviews, long count, PrintStream progress)
      throws InterruptedException {
    ReviewReplayer.Result result;
    try (BackgroundReplay replay =
        new BackgroundReplay(ReviewReplayer.bulkProducer(kafka), topic, reviews, count, 0)) {
      long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
      while ((result = replay.await(PROGRESS_EVERY.toMillis())) == null) {
        progress.printf(
            Locale.ROOT, "load: %,d / %,d reviews sent%n", replay.acknowledged(), count);
        if (System.nanoTime() > deadline) {
          replay.stop();
          throw new IllegalStateException(
              "the load did not finish within " + PHASE_TIMEOUT.toMinutes() + " minutes");
        }
      }
    }
    if (result.sent() != count || result.failed() > 0) {
      throw new InvalidRunException(
          "the load sent "
              + result.sent()
              + " of "
              + count
              + " reviews, "
              + result.failed()
              + " failed"
              + (result.firstFailure() == null ? "" : " (first: " + result.firstFailure() + ")"));
    }
    long inTopic;
    try (KafkaTopics topics = new KafkaTopics(kafka)) {
      inTopic = topics.endOffsetSum(topic);
    }
    if (inTopic != count) {
      throw new InvalidRunException(
          "topic " + topic + " holds " + inTopic + " records after loading " + count);
    }
    progress.printf(
        Locale.ROOT,
        "load: %,d reviews in %.1f s = %,.0f reviews/s (load average %.1f)%n",
        count,
        result.elapsed().toNanos() / 1e9,
        result.perSecond(),
        loadAverage());
    return result.perSecond();
  }

  /** Wall-clock seconds and this JVM's CPU seconds of a phase. */
  record Timed(double seconds, double cpuSeconds) {}

  /** Drains the topic with the pipeline, timed from the query's start to its end. */
  private static Timed drain(
      SparkSession spark,
      ReviewsPipeline pipeline,
      String kafka,
      BenchRun run,
      Database database,
      long maxPerBatch,
      long records,
      Path models,
      PrintStream progress)
      throws InterruptedException {
    double seconds;
    double cpuSeconds;
    BatchTimeline timeline = new BatchTimeline(ReviewsDefinition.NAME);
    timeline.register(spark);
    long cpuStart = processCpuNanos();
    try (Connection watch = database.connect();
        RunningPipeline running =
            RunningPipeline.start(
                spark,
                pipeline,
                kafka,
                run.topic(Phase.DRAIN),
                maxPerBatch,
                database,
                run.checkpoints(Phase.DRAIN),
                models,
                Trigger.AvailableNow())) {
      while (!running.awaitTermination(PROGRESS_EVERY.toMillis())) {
        BenchTables.Ledger ledger = BenchTables.ledger(watch, ReviewsDefinition.NAME);
        progress.printf(
            Locale.ROOT,
            "pipeline: %,d / %,d records committed in %d batches after %.0f s%n",
            ledger.records(),
            records,
            ledger.batches(),
            running.elapsedNanos() / 1e9);
        if (running.elapsedNanos() > PHASE_TIMEOUT.toNanos()) {
          throw new IllegalStateException(
              "the pipeline did not drain the topic within "
                  + PHASE_TIMEOUT.toMinutes()
                  + " minutes");
        }
      }
      seconds = running.elapsedNanos() / 1e9;
      cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
      timeline.awaitBatches(
          BenchTables.ledger(watch, ReviewsDefinition.NAME).batches(), LISTENER_WAIT.toMillis());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot watch the pipeline's ledger: " + e.getMessage(), e);
    } finally {
      timeline.unregister(spark);
    }
    BenchTables.Ledger ledger = BenchTables.ledger(database, ReviewsDefinition.NAME);
    long predictions = BenchTables.predictions(database);
    if (ledger.records() != records || predictions != records - ledger.quarantined()) {
      throw new InvalidRunException(
          "the pipeline's ledger counts "
              + ledger.records()
              + " records ("
              + ledger.quarantined()
              + " quarantined) and the"
              + " predictions table "
              + predictions
              + " rows, for "
              + records
              + " records in the topic: records were lost or doubled");
    }
    progress.printf(
        Locale.ROOT,
        "pipeline: drained %,d records in %.1f s = %,.0f records/s (load average %.1f; this JVM used %.1f CPU-s, %,.0f records per"
            + " CPU-s); checked: the ledger and the predictions hold every record, %d quarantined%n",
        records,
        seconds,
        records / seconds,
        loadAverage(),
        cpuSeconds,
        records / cpuSeconds,
        ledger.quarantined());
    timeline.report().forEach(line -> progress.println("pipeline: " + line));
    return new Timed(seconds, cpuSeconds);
  }

  /** Runs the plain loop; {@code cpuStart} is this JVM's CPU time when it started. */
  private static PlainLoopBaseline.Result plainLoop(
      String kafka, String topic, long records, PrintStream progress, long cpuStart)
      throws InterruptedException {
    progress.printf(
        Locale.ROOT,
        "plain loop: %d threads read %s (KafkaConsumer, JSON, tokenizer, counts in memory)%n",
        PLAIN_LOOP_THREADS,
        topic);
    AtomicLong read = new AtomicLong();
    ScheduledExecutorService ticker = Schedulers.daemon("bench-progress");
    PlainLoopBaseline.Result result;
    try {
      long every = PROGRESS_EVERY.toMillis();
      ticker.scheduleAtFixedRate(
          () ->
              progress.printf(
                  Locale.ROOT, "plain loop: %,d / %,d records read%n", read.get(), records),
          every,
          every,
          TimeUnit.MILLISECONDS);
      result = PlainLoopBaseline.run(kafka, topic, PLAIN_LOOP_THREADS, PHASE_TIMEOUT, read);
    } finally {
      ticker.shutdownNow();
    }
    if (result.records() != records) {
      throw new InvalidRunException(
          "the plain loop read "
              + result.records()
              + " records of the "
              + records
              + " in the topic");
    }
    double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
    progress.printf(
        Locale.ROOT,
        "plain loop: read %,d records in %.1f s = %,.0f records/s (load average %.1f; this JVM used %.1f CPU-s, %,.0f"
            + " records per CPU-s)%n",
        result.records(),
        result.elapsed().toNanos() / 1e9,
        result.perSecond(),
        loadAverage(),
        cpuSeconds,
        result.records() / cpuSeconds);
    return result;
  }

  /** Both computed every word of every valid review: any difference is a bug in one of them. */
  static void compareWordCounts(Map<String, Long> pipeline, Map<String, Long> plainLoop) {
    if (pipeline.equals(plainLoop)) {
      return;
    }
    TreeSet<String> differing = new TreeSet<>();
    for (String word : pipeline.keySet()) {
      if (!Objects.equals(pipeline.get(word), plainLoop.get(word))) {
        differing.add(word);
      }
    }
    for (String word : plainLoop.keySet()) {
      if (!pipeline.containsKey(word)) {
        differing.add(word);
      }
    }
    List<String> examples = new ArrayList<>();
    for (String word : differing) {
      if (examples.size() == 5) {
        break;
      }
      examples.add(
          "'" + word + "': pipeline " + pipeline.get(word) + ", plain loop " + plainLoop.get(word));
    }
    throw new InvalidRunException(
        "the pipeline's word counts differ from the plain loop's in "
            + differing.size()
            + " words ("
            + pipeline.size()
            + " vs "
            + plainLoop.size()
            + " distinct), e.g. "
            + String.join("; ", examples));
  }

  private static BenchReport.Latency latency(
      SparkSession spark,
      ReviewsPipeline pipeline,
      String kafka,
      BenchRun run,
      ReviewSource reviews,
      int partitions,
      long maxPerBatch,
      Path models,
      Options options,
      PrintStream progress)
      throws InterruptedException {
    String topic = run.topic(Phase.LATENCY);
    run.createTopic(Phase.LATENCY, partitions);
    Database database = run.createSchema(Phase.LATENCY);
    long rate = options.latencyRate();
    long count = rate * options.latencySeconds();
    progress.printf(
        Locale.ROOT,
        "latency: pipeline on %s every %d ms (up to %,d records per batch), then %,d reviews/s for %d s%n",
        topic,
        options.triggerMs(),
        maxPerBatch,
        rate,
        options.latencySeconds());
    ReviewReplayer.Result sent;
    double catchUpSeconds;
    long committed;
    BatchTimeline timeline = new BatchTimeline(ReviewsDefinition.NAME);
    timeline.register(spark);
    try (Connection watch = database.connect();
        RunningPipeline running =
            RunningPipeline.start(
                spark,
                pipeline,
                kafka,
                topic,
                maxPerBatch,
                database,
                run.checkpoints(Phase.LATENCY),
                models,
                Trigger.ProcessingTime(options.triggerMs()))) {
      awaitWaitingForData(running, progress);
      long sendLimit = TimeUnit.SECONDS.toNanos(2L * options.latencySeconds() + 30);
      try (BackgroundReplay replay =
          new BackgroundReplay(
              ReliableProducer.create(kafka, "sluice-bench-latency"),
              topic,
              reviews,
              count,
              rate)) {
        long start = System.nanoTime();
        while ((sent = replay.await(PROGRESS_EVERY.toMillis())) == null) {
          running.requireHealthy();
          BenchTables.Ledger ledger = BenchTables.ledger(watch, ReviewsDefinition.NAME);
          progress.printf(
              Locale.ROOT,
              "latency: %,d reviews sent, %,d committed after %.0f s%n",
              replay.acknowledged(),
              ledger.records(),
              secondsSince(start));
          if (System.nanoTime() - start > sendLimit) {
            progress.println("latency: the producer is far behind its schedule; stopping it");
            replay.stop();
          }
        }
      }
      long sentAt = System.nanoTime();
      long catchUpLimit =
          Math.max(
              MIN_CATCH_UP_TIMEOUT.toNanos(), TimeUnit.SECONDS.toNanos(options.latencySeconds()));
      committed = BenchTables.ledger(watch, ReviewsDefinition.NAME).records();
      long lastProgress = sentAt;
      while (committed < sent.sent() && System.nanoTime() - sentAt < catchUpLimit) {
        running.requireHealthy();
        Thread.sleep(100);
        committed = BenchTables.ledger(watch, ReviewsDefinition.NAME).records();
        if (System.nanoTime() - lastProgress > PROGRESS_EVERY.toNanos()) {
          lastProgress = System.nanoTime();
          progress.printf(
              Locale.ROOT, "latency: %,d of %,d reviews committed%n", committed, sent.sent());
        }
      }
      catchUpSeconds = secondsSince(sentAt);
      timeline.awaitBatches(
          BenchTables.ledger(watch, ReviewsDefinition.NAME).batches(), LISTENER_WAIT.toMillis());
    } catch (SQLException e) {
      throw new IllegalStateException("cannot watch the pipeline's ledger: " + e.getMessage(), e);
    } finally {
      timeline.unregister(spark);
    }
    BenchTables.Ledger ledger = BenchTables.ledger(database, ReviewsDefinition.NAME);
    LatencyStats stats = BenchTables.latency(database, ReviewsDefinition.NAME, topic);
    progress.printf(
        Locale.ROOT,
        "latency: sent %,d reviews in %.1f s = %,.0f/s (%,d failed); committed %,d, the last %.1f s after the last send;"
            + " %d batches of %,.0f records on average, each %.0f ms (max %.0f) from writing to commit (load average %.1f)%n",
        sent.sent(),
        sent.elapsed().toNanos() / 1e9,
        sent.perSecond(),
        sent.failed(),
        ledger.records(),
        catchUpSeconds,
        ledger.batches(),
        ledger.batches() == 0 ? 0.0 : (double) ledger.records() / ledger.batches(),
        ledger.meanBatchMs(),
        ledger.maxBatchMs(),
        loadAverage());
    progress.printf(
        Locale.ROOT,
        "latency: Kafka timestamp to committed row: p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms over %,d reviews%n",
        stats.p50Ms(),
        stats.p99Ms(),
        stats.maxMs(),
        stats.reviews());
    timeline.report().forEach(line -> progress.println("latency: " + line));
    return new BenchReport.Latency(
        rate,
        options.latencySeconds(),
        sent.sent(),
        sent.perSecond(),
        ledger.records(),
        catchUpSeconds,
        stats);
  }

  /**
   * Waits until the query has initialized its source, so the measurement starts in the steady
   * state.
   */
  private static void awaitWaitingForData(RunningPipeline running, PrintStream progress)
      throws InterruptedException {
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!running.isWaitingForData()) {
      running.requireHealthy();
      if (System.nanoTime() > deadline) {
        progress.println(
            "latency: the pipeline is not waiting for data after "
                + READY_TIMEOUT.toSeconds()
                + " s; sending anyway");
        return;
      }
      Thread.sleep(50);
    }
  }

  /** CPU time of this JVM: Spark's driver and executors in local mode, or the plain loop. */
  static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }

  private static double secondsSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
