package dev.sluice.bench;

import dev.sluice.bench.BenchRun.Phase;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.process.Schedulers;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.spark.pipeline.SparkPipeline;
import dev.sluice.store.Database;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.Trigger;

/**
 * The harness every pipeline's benchmark runs in ({@link BenchMain} starts it): measures a pipeline
 * on this machine against the practical limit of the machine, and its end-to-end latency under a
 * steady load. The pipeline's part ({@link PipelineBenchmark}) supplies its records, its plain loop
 * and the checks of its results; the rest is here, the same for every pipeline.
 *
 * <p>What it does, on resources of its own ({@link BenchRun}: fresh topics, database schemas and
 * checkpoints, all removed at the end unless {@code --keep}):
 *
 * <ol>
 *   <li><b>Load</b>: {@code --records} of the part's records into a new topic, as fast as Kafka
 *       takes them.
 *   <li><b>Pipeline</b>: the pipeline's own Spark part, as {@code ./sluice run} starts it, drains
 *       the topic on Spark {@code local[2]} (or {@code --executor-threads}) with {@code
 *       Trigger.AvailableNow}; timed from the query's start to its end (Spark's start-up and the
 *       part's preparation are reported apart). The batch ledger must then count every record, and
 *       the part checks the pipeline's own tables: a run that lost or doubled records fails.
 *   <li><b>Plain loop</b>: the least work any implementation must do, without Spark ({@link
 *       PlainLoopBaseline}): two threads consume the same topic and do the part's work per record
 *       in memory. The part checks that the pipeline's results equal the plain loop's.
 *   <li><b>Latency</b>: the pipeline runs continuously on a second topic (trigger every {@code
 *       --trigger-ms}) while a paced producer sends {@code --latency-rate} records/s for {@code
 *       --latency-seconds}; per record, the time from its Kafka timestamp to its batch's commit
 *       ({@link LatencyStats}). If the producer or the pipeline could not keep up, the output says
 *       so.
 * </ol>
 *
 * <p>Progress goes to the given stream, with where each micro-batch spends its time ({@link
 * BatchTimeline}) and how much CPU this JVM used per record.
 */
public final class PipelineBench {
  static final Flag<Integer> RECORDS =
      Flag.of(
          "--records",
          Parser.intBetween(1_000, 10_000_000),
          null,
          "records to load, drain through the pipeline and read with the plain loop (default: the"
              + " pipeline's, 1,000,000 reviews or 100,000 sensor events)");
  static final Flag<Integer> LATENCY_RATE =
      Flag.of(
          "--latency-rate",
          Parser.intBetween(100, 200_000),
          null,
          "records per second sent during the latency measurement (default: the rate of the"
              + " pipeline's latency target, 2,000 reviews/s or 5,000 sensor events/s)");
  static final Flag<Integer> LATENCY_SECONDS =
      Flag.of(
          "--latency-seconds",
          Parser.intBetween(0, 600),
          "60",
          "seconds of steady load for the latency measurement (0: skip it)");
  static final Flag<Integer> WARM_UP_SECONDS =
      Flag.of(
          "--warm-up-seconds",
          Parser.intBetween(0, 300),
          "10",
          "seconds of load at the latency rate before the measured seconds, not measured (the JIT"
              + " compiles the hot path)");
  static final Flag<Integer> TRIGGER_MS =
      Flag.of(
          "--trigger-ms",
          Parser.intBetween(0, 60_000),
          "250",
          "milliseconds between micro-batch starts during the latency measurement");
  static final Flag<Integer> EXECUTOR_THREADS =
      Flag.of(
          "--executor-threads",
          Parser.intBetween(1, 64),
          "2",
          "Spark's executor threads: the pipeline runs on local[N] (tuning studies; the plain loop"
              + " keeps its 2 threads)");
  static final Flag<Integer> SHUFFLE_PARTITIONS_FLAG =
      Flag.of(
          "--shuffle-partitions",
          Parser.intBetween(1, 1_000),
          "2",
          "spark.sql.shuffle.partitions: the partitions of a stateful pipeline's state (tuning"
              + " studies)");
  static final Flag<Boolean> KEEP =
      Flag.bool("--keep", "keep the run's topics, database schemas and checkpoints for inspection");
  static final List<Flag<?>> FLAGS =
      List.of(
          RECORDS,
          LATENCY_RATE,
          LATENCY_SECONDS,
          WARM_UP_SECONDS,
          TRIGGER_MS,
          EXECUTOR_THREADS,
          SHUFFLE_PARTITIONS_FLAG,
          KEEP);

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

  /** How often a real-time query's markers are looked for: the drain is timed to this. */
  static final Duration MARKER_POLL = Duration.ofMillis(50);

  static final String WARM_UP_MARKERS = "warm-up";
  static final String END_MARKERS = "end";

  /** How long the diagnostics wait for Spark's asynchronous listener events after a query ended. */
  static final Duration LISTENER_WAIT = Duration.ofSeconds(3);

  private PipelineBench() {}

  /** The benchmark's options, validated. */
  record Options(
      int records,
      int latencyRate,
      int latencySeconds,
      int warmUpSeconds,
      int triggerMs,
      int executorThreads,
      int shufflePartitions,
      boolean keep) {
    /** Spark's master URL for the pipeline. */
    String master() {
      return "local[" + executorThreads + "]";
    }

    /**
     * The options after the pipeline's name, with the part's defaults, or {@code null} when help
     * was asked for.
     */
    static Options parse(List<String> args, PipelineBenchmark<?> part) {
      Flags flags = Flags.parse(args, FLAGS);
      if (flags.helpRequested()) {
        return null;
      }
      if (!flags.positional().isEmpty()) {
        throw new ConfigException(
            "unexpected arguments "
                + flags.positional()
                + ": bench takes one pipeline's name, then only options");
      }
      return new Options(
          flags.optional(RECORDS).orElse(part.recordsByDefault()),
          flags.optional(LATENCY_RATE).orElse(part.latencyRateByDefault()),
          flags.get(LATENCY_SECONDS),
          flags.get(WARM_UP_SECONDS),
          flags.get(TRIGGER_MS),
          flags.get(EXECUTOR_THREADS),
          flags.get(SHUFFLE_PARTITIONS_FLAG),
          flags.isSet(KEEP));
    }
  }

  /**
   * Refuses a part the harness cannot measure: it loads one of the pipeline's inputs and counts and
   * times records by one query's ledger, or by its results when it runs in real-time mode.
   */
  static void requireMeasurable(PipelineDefinition pipeline, PipelineBenchmark<?> part) {
    String input = part.input(pipeline).name();
    if (pipeline.inputs().stream().noneMatch(declared -> declared.name().equals(input))) {
      throw new ConfigException(
          "the benchmark part of "
              + pipeline.name()
              + " names an input the pipeline does not have");
    }
    if (!pipeline.queries().contains(part.query(pipeline))) {
      throw new ConfigException(
          "the benchmark part of "
              + pipeline.name()
              + " names query '"
              + part.query(pipeline)
              + "', which the pipeline does not have");
    }
    if (pipeline.realTimeInputs().stream().anyMatch(realTime -> realTime.name().equals(input))
        && part.realTimeResults().isEmpty()) {
      throw new ConfigException(
          "the "
              + pipeline.name()
              + " pipeline reads "
              + input
              + " in real-time mode, which keeps no batch ledger: its benchmark part must say how"
              + " to watch the query's results (realTimeResults())");
    }
  }

  /**
   * The launcher provides Kafka and PostgreSQL; started by hand, the bench says what is missing.
   */
  static void requireInputs(
      SluiceConfig config, PipelineDefinition pipeline, PipelineBenchmark<?> part) {
    List<String> problems = new ArrayList<>();
    String run = "run the benchmark with './sluice bench " + pipeline.name() + "'";
    if (config.kafka().isEmpty()) {
      problems.add("SLUICE_KAFKA is not set: " + run + ", which starts the platform");
    }
    if (config.dbUrl().isEmpty()) {
      problems.add("SLUICE_DB_URL is not set: " + run + ", which starts the platform");
    }
    problems.addAll(part.missingInputs(config));
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
  static <W extends PlainLoopWork> BenchReport run(
      SluiceConfig config,
      PipelineDefinition pipeline,
      PipelineBenchmark<W> part,
      Options options,
      Supplier<SparkSession> spark,
      PrintStream progress)
      throws InterruptedException {
    BenchRun run = BenchRun.create(config, pipeline);
    Thread cleanUp = new Thread(() -> run.cleanUp(progress), "bench-clean-up");
    if (!options.keep()) {
      Runtime.getRuntime().addShutdownHook(cleanUp);
    }
    try {
      return new Measurement<>(config, pipeline, part, options, run, progress).measure(spark);
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

  /** Wall-clock seconds and this JVM's CPU seconds of a phase. */
  record Timed(double seconds, double cpuSeconds) {}

  /** One run's phases, on the resources of {@code run}. */
  private static final class Measurement<W extends PlainLoopWork> {
    private final SluiceConfig config;
    private final PipelineDefinition pipeline;
    private final PipelineBenchmark<W> part;
    private final Options options;
    private final BenchRun run;
    private final PrintStream progress;
    private final String kafka;
    private final InputTopic input;
    private final String query;
    private final Optional<RealTimeResults> realTime;
    private final String unit;
    private final int partitions;
    private final long maxPerBatch;

    Measurement(
        SluiceConfig config,
        PipelineDefinition pipeline,
        PipelineBenchmark<W> part,
        Options options,
        BenchRun run,
        PrintStream progress) {
      this.config = config;
      this.pipeline = pipeline;
      this.part = part;
      this.options = options;
      this.run = run;
      this.progress = progress;
      this.kafka = config.requireKafka();
      this.input = part.input(pipeline);
      this.query = part.query(pipeline);
      this.realTime = part.realTimeResults();
      this.unit = part.unit();
      this.partitions = config.partitions(input);
      this.maxPerBatch = config.maxRecordsPerBatch();
    }

    BenchReport measure(Supplier<SparkSession> sparkSupplier) throws InterruptedException {
      int records = options.records();
      progress.printf(
          Locale.ROOT,
          "bench: run %s on %d cores, load average %.1f (other work on the machine lowers every rate)%n",
          run.id(),
          Runtime.getRuntime().availableProcessors(),
          loadAverage());
      long setupStart = System.nanoTime();
      BenchRecords data = part.records(config);
      run.createTopic(Phase.DRAIN, partitions);
      Database drainDatabase = run.createSchema(Phase.DRAIN);
      progress.printf(
          Locale.ROOT,
          "bench: read %s, created topic %s and schema %s in %.1f s%n",
          data.description(),
          run.topic(Phase.DRAIN),
          run.schema(Phase.DRAIN),
          secondsSince(setupStart));

      BenchTarget drainTarget = run.target(Phase.DRAIN, input, drainDatabase);
      double loadPerSecond = load(run.topic(Phase.DRAIN), data, records);
      if (realTime.isPresent()) {
        sendMarkers(realTime.get(), run.topic(Phase.DRAIN), END_MARKERS);
      }

      long sparkStart = System.nanoTime();
      SparkSession spark = sparkSupplier.get();
      double sparkSeconds = secondsSince(sparkStart);
      long jobStart = System.nanoTime();
      SparkPipeline job = part.sparkJob(pipeline, config, progress);
      double jobSeconds = secondsSince(jobStart);
      progress.printf(
          Locale.ROOT,
          "spark: started in %.1f s (%s, %d shuffle partitions); the %s pipeline's Spark part ready in %.1f s%n",
          sparkSeconds,
          options.master(),
          options.shufflePartitions(),
          pipeline.name(),
          jobSeconds);

      progress.printf(
          Locale.ROOT,
          "pipeline: query %s reads %s into schema %s, %s%n",
          query,
          run.topic(Phase.DRAIN),
          run.schema(Phase.DRAIN),
          realTime.isPresent()
              ? "in real-time mode, until the end markers' "
                  + realTime.get().unit()
                  + " are written"
              : String.format(Locale.ROOT, "up to %,d records per batch", maxPerBatch));
      Timed drained =
          realTime.isPresent()
              ? drainInRealTime(spark, job, drainTarget, realTime.get())
              : drain(spark, job, drainTarget, records);

      BenchTarget plainTarget = run.target(Phase.PLAIN, input, run.createSchema(Phase.PLAIN));
      long plainLoopCpu = processCpuNanos();
      PlainLoopBaseline.Result<W> baseline = plainLoop(plainTarget, topicRecords());
      double plainLoopCpuSeconds = (processCpuNanos() - plainLoopCpu) / 1e9;
      progress.println(
          "plain loop: " + part.checkAgainstPlainLoop(drainTarget, baseline.threads()));

      BenchReport.Latency latency =
          options.latencySeconds() == 0 ? null : latency(spark, job, data);
      return new BenchReport(
          pipeline.name(),
          unit,
          options.master(),
          records,
          loadPerSecond,
          sparkSeconds + jobSeconds,
          drained.seconds(),
          drained.cpuSeconds(),
          baseline.elapsed().toNanos() / 1e9,
          plainLoopCpuSeconds,
          latency);
    }

    /** What the drained topic holds: the records loaded and, for a real-time query, its markers. */
    private long topicRecords() {
      return options.records() + (realTime.isPresent() ? partitions : 0);
    }

    private RunningPipeline start(
        SparkSession spark, SparkPipeline job, Phase phase, BenchTarget target, Trigger trigger) {
      return RunningPipeline.start(
          spark,
          pipeline,
          job,
          target,
          maxPerBatch,
          run.checkpoints(phase),
          config.models(),
          trigger);
    }

    private double load(String topic, BenchRecords data, long count) throws InterruptedException {
      BackgroundLoad.Result result;
      KafkaProducer<String, byte[]> producer =
          new KafkaProducer<>(ReliableProducer.bulkProperties(kafka, "sluice-bench-load"));
      try (BackgroundLoad load = new BackgroundLoad(producer, topic, data, count, 0)) {
        long deadline = System.nanoTime() + PHASE_TIMEOUT.toNanos();
        while ((result = load.await(PROGRESS_EVERY.toMillis())) == null) {
          progress.printf(
              Locale.ROOT, "load: %,d / %,d %s sent%n", load.acknowledged(), count, unit);
          if (System.nanoTime() > deadline) {
            load.stop();
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
                + " "
                + unit
                + ", "
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
          "load: %,d %s in %.1f s = %,.0f %s/s (load average %.1f)%n",
          count,
          unit,
          result.elapsed().toNanos() / 1e9,
          result.perSecond(),
          unit,
          loadAverage());
      return result.perSecond();
    }

    /**
     * Appends one of the real-time query's markers to every partition of {@code topic}, after
     * everything sent to it before.
     */
    private void sendMarkers(RealTimeResults results, String topic, String name)
        throws InterruptedException {
      try (KafkaProducer<String, byte[]> producer =
          ReliableProducer.create(kafka, "sluice-bench-markers")) {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
          BenchRecord marker = results.marker(run.id(), name, partition);
          acks.add(
              producer.send(new ProducerRecord<>(topic, partition, marker.key(), marker.value())));
        }
        for (Future<RecordMetadata> ack : acks) {
          ack.get();
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "a " + name + " marker was not sent to " + topic + ": " + e.getCause(), e);
      }
    }

    /** Whether every partition's marker {@code name} has its result in the store. */
    private boolean markersWritten(RealTimeResults.Watch watch, String name) {
      return watch.markersWritten(run.id(), name) == partitions;
    }

    /** Drains the topic with the pipeline, timed from the query's start to its end. */
    private Timed drain(SparkSession spark, SparkPipeline job, BenchTarget target, long records)
        throws InterruptedException {
      Database database = target.database();
      double seconds;
      double cpuSeconds;
      BatchTimeline timeline = new BatchTimeline(query);
      timeline.register(spark);
      long cpuStart = processCpuNanos();
      try (Connection watch = database.connect();
          RunningPipeline running =
              start(spark, job, Phase.DRAIN, target, Trigger.AvailableNow())) {
        while (!running.awaitTermination(PROGRESS_EVERY.toMillis())) {
          Ledger ledger = Ledger.read(watch, pipeline.name());
          progress.printf(
              Locale.ROOT,
              "pipeline: %,d / %,d records committed in %d batches after %.0f s%n",
              ledger.records(),
              records,
              ledger.batches(),
              running.elapsedNanos() / 1e9);
          requireWithinPhase(running, "drain the topic");
        }
        seconds = running.elapsedNanos() / 1e9;
        cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        timeline.awaitBatches(
            Ledger.read(watch, pipeline.name()).batches(), LISTENER_WAIT.toMillis());
      } catch (SQLException e) {
        throw new IllegalStateException("cannot watch the pipeline's ledger: " + e.getMessage(), e);
      } finally {
        timeline.unregister(spark);
      }
      Ledger ledger = Ledger.read(database, pipeline.name());
      if (ledger.records() != records) {
        throw new InvalidRunException(
            "the pipeline's ledger counts "
                + ledger.records()
                + " records ("
                + ledger.quarantined()
                + " quarantined) for "
                + records
                + " records in the topic: records were lost or doubled");
      }
      String checked =
          "the ledger holds every record, "
              + ledger.quarantined()
              + " quarantined"
              + part.checkDrained(database, ledger).map(more -> "; " + more).orElse("");
      reportDrained(records, seconds, cpuSeconds, checked);
      timeline.report().forEach(line -> progress.println("pipeline: " + line));
      return new Timed(seconds, cpuSeconds);
    }

    /**
     * Runs the real-time query on the topic until the end markers' results are written: it has then
     * read every record before them. Timed from the query's start to that moment.
     */
    private Timed drainInRealTime(
        SparkSession spark, SparkPipeline job, BenchTarget target, RealTimeResults results)
        throws InterruptedException {
      double seconds;
      double cpuSeconds;
      long cpuStart = processCpuNanos();
      try (RealTimeResults.Watch watch = results.watch(target);
          RunningPipeline running =
              start(spark, job, Phase.DRAIN, target, Trigger.AvailableNow())) {
        long lastProgress = System.nanoTime();
        while (!markersWritten(watch, END_MARKERS)) {
          running.requireHealthy();
          requireWithinPhase(running, "read the topic");
          if (System.nanoTime() - lastProgress > PROGRESS_EVERY.toNanos()) {
            lastProgress = System.nanoTime();
            progress.printf(
                Locale.ROOT,
                "pipeline: %,d %s written after %.0f s%n",
                watch.results(),
                results.unit(),
                running.elapsedNanos() / 1e9);
          }
          Thread.sleep(MARKER_POLL.toMillis());
        }
        seconds = running.elapsedNanos() / 1e9;
        cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
      }
      reportDrained(
          options.records(),
          seconds,
          cpuSeconds,
          "every partition's end marker has its result in the store");
      return new Timed(seconds, cpuSeconds);
    }

    private void requireWithinPhase(RunningPipeline running, String what) {
      if (running.elapsedNanos() > PHASE_TIMEOUT.toNanos()) {
        throw new IllegalStateException(
            "the pipeline did not " + what + " within " + PHASE_TIMEOUT.toMinutes() + " minutes");
      }
    }

    private void reportDrained(long records, double seconds, double cpuSeconds, String checked) {
      progress.printf(
          Locale.ROOT,
          "pipeline: drained %,d records in %.1f s = %,.0f records/s (load average %.1f; this JVM used %.1f CPU-s, %,.0f records per"
              + " CPU-s); checked: %s%n",
          records,
          seconds,
          records / seconds,
          loadAverage(),
          cpuSeconds,
          records / cpuSeconds,
          checked);
    }

    private PlainLoopBaseline.Result<W> plainLoop(BenchTarget target, long records)
        throws InterruptedException {
      String topic = target.topic();
      progress.printf(
          Locale.ROOT,
          "plain loop: %d threads read %s (KafkaConsumer, the %s pipeline's work per record)%n",
          PLAIN_LOOP_THREADS,
          topic,
          pipeline.name());
      long cpuStart = processCpuNanos();
      AtomicLong read = new AtomicLong();
      ScheduledExecutorService ticker = Schedulers.daemon("bench-progress");
      PlainLoopBaseline.Result<W> result;
      try {
        long every = PROGRESS_EVERY.toMillis();
        ticker.scheduleAtFixedRate(
            () ->
                progress.printf(
                    Locale.ROOT, "plain loop: %,d / %,d records read%n", read.get(), records),
            every,
            every,
            TimeUnit.MILLISECONDS);
        result =
            PlainLoopBaseline.run(
                kafka,
                topic,
                PLAIN_LOOP_THREADS,
                () -> part.plainLoopThread(target),
                PHASE_TIMEOUT,
                read);
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

    /** How far the query got while the latency phase watches it. */
    private interface Watched {
      /** Records finished so far, for the progress lines, e.g. "1,200 committed". */
      String progressLine();

      /** Whether the query finished every record sent. */
      boolean finished(long sent);
    }

    private BenchReport.Latency latency(SparkSession spark, SparkPipeline job, BenchRecords data)
        throws InterruptedException {
      String topic = run.topic(Phase.LATENCY);
      run.createTopic(Phase.LATENCY, partitions);
      Database database = run.createSchema(Phase.LATENCY);
      BenchTarget target = run.target(Phase.LATENCY, input, database);
      long rate = options.latencyRate();
      long count = rate * (options.warmUpSeconds() + options.latencySeconds());
      progress.printf(
          Locale.ROOT,
          "latency: query %s on %s %s, then %,d %s/s for %d s, measured after the first %d s%n",
          query,
          topic,
          realTime.isPresent()
              ? "in real-time mode"
              : String.format(
                  Locale.ROOT,
                  "every %d ms (up to %,d records per batch)",
                  options.triggerMs(),
                  maxPerBatch),
          rate,
          unit,
          options.warmUpSeconds() + options.latencySeconds(),
          options.warmUpSeconds());
      BackgroundLoad.Result sent;
      double catchUpSeconds;
      boolean finished;
      long measuredFromMillis;
      BatchTimeline timeline = new BatchTimeline(query);
      timeline.register(spark);
      double[] realTimeLatencies = null;
      Map<String, double[]> otherLatencies = Map.of();
      try (Connection ledgerWatch = database.connect();
          RealTimeResults.Watch resultsWatch = realTime.map(r -> r.watch(target)).orElse(null);
          RunningPipeline running =
              start(
                  spark, job, Phase.LATENCY, target, Trigger.ProcessingTime(options.triggerMs()))) {
        Watched watched =
            resultsWatch != null
                ? new Watched() {
                  @Override
                  public String progressLine() {
                    return String.format(
                        Locale.ROOT,
                        "%,d %s written",
                        resultsWatch.results(),
                        realTime.get().unit());
                  }

                  @Override
                  public boolean finished(long sent) {
                    return markersWritten(resultsWatch, END_MARKERS);
                  }
                }
                : new Watched() {
                  @Override
                  public String progressLine() {
                    return String.format(
                        Locale.ROOT,
                        "%,d committed",
                        Ledger.read(ledgerWatch, pipeline.name()).records());
                  }

                  @Override
                  public boolean finished(long sent) {
                    return Ledger.read(ledgerWatch, pipeline.name()).records() >= sent;
                  }
                };
        awaitReady(running, resultsWatch);
        long sendLimit =
            TimeUnit.SECONDS.toNanos(
                2L * (options.warmUpSeconds() + options.latencySeconds()) + 30);
        // Records the producer stamps from then on are measured.
        measuredFromMillis = System.currentTimeMillis() + options.warmUpSeconds() * 1_000L;
        try (BackgroundLoad load =
            new BackgroundLoad(
                ReliableProducer.create(kafka, "sluice-bench-latency"), topic, data, count, rate)) {
          long start = System.nanoTime();
          while ((sent = load.await(PROGRESS_EVERY.toMillis())) == null) {
            running.requireHealthy();
            progress.printf(
                Locale.ROOT,
                "latency: %,d %s sent, %s after %.0f s%n",
                load.acknowledged(),
                unit,
                watched.progressLine(),
                secondsSince(start));
            if (System.nanoTime() - start > sendLimit) {
              progress.println("latency: the producer is far behind its schedule; stopping it");
              load.stop();
            }
          }
        }
        long sentAt = System.nanoTime();
        if (realTime.isPresent()) {
          sendMarkers(realTime.get(), topic, END_MARKERS);
        }
        long catchUpLimit =
            Math.max(
                MIN_CATCH_UP_TIMEOUT.toNanos(), TimeUnit.SECONDS.toNanos(options.latencySeconds()));
        long lastProgress = sentAt;
        while (!(finished = watched.finished(sent.sent()))
            && System.nanoTime() - sentAt < catchUpLimit) {
          running.requireHealthy();
          Thread.sleep(realTime.isPresent() ? MARKER_POLL.toMillis() : 100);
          if (System.nanoTime() - lastProgress > PROGRESS_EVERY.toNanos()) {
            lastProgress = System.nanoTime();
            progress.printf(
                Locale.ROOT,
                "latency: %s of %,d %s sent%n",
                watched.progressLine(),
                sent.sent(),
                unit);
          }
        }
        catchUpSeconds = secondsSince(sentAt);
        if (resultsWatch == null) {
          timeline.awaitBatches(
              Ledger.read(ledgerWatch, pipeline.name()).batches(), LISTENER_WAIT.toMillis());
        } else {
          realTimeLatencies = resultsWatch.latenciesMs(run.id(), measuredFromMillis);
          otherLatencies = resultsWatch.otherLatenciesMs(run.id(), measuredFromMillis);
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot watch the pipeline: " + e.getMessage(), e);
      } finally {
        timeline.unregister(spark);
      }
      LatencyStats stats;
      long committed;
      String measuredUnit;
      try (Connection connection = database.connect()) {
        if (realTime.isPresent()) {
          stats = LatencyStats.of(realTimeLatencies);
          committed = finished ? sent.sent() : BenchReport.Latency.UNKNOWN;
          measuredUnit = realTime.get().unit();
          progress.printf(
              Locale.ROOT,
              "latency: sent %,d %s in %.1f s = %,.0f/s (%,d failed); %s, %.1f s after the last send (load average %.1f)%n",
              sent.sent(),
              unit,
              sent.elapsed().toNanos() / 1e9,
              sent.perSecond(),
              sent.failed(),
              finished
                  ? "the end markers' " + measuredUnit + " were written"
                  : "the end markers' " + measuredUnit + " were NOT written yet",
              catchUpSeconds,
              loadAverage());
        } else {
          stats =
              LatencyStats.measure(connection, pipeline.name(), kafka, topic, measuredFromMillis);
          Ledger ledger = Ledger.read(connection, pipeline.name());
          committed = ledger.records();
          measuredUnit = unit;
          progress.printf(
              Locale.ROOT,
              "latency: sent %,d %s in %.1f s = %,.0f/s (%,d failed); committed %,d, the last %.1f s after the last send;"
                  + " %d batches of %,.0f records on average, each %.0f ms (max %.0f) from writing to commit (load average %.1f)%n",
              sent.sent(),
              unit,
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
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot compute the latencies: " + e.getMessage(), e);
      }
      progress.printf(
          Locale.ROOT,
          "latency: Kafka timestamp to %s: p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms over %,d %s%n",
          realTime.isPresent() ? realTime.get().unit() + " written" : "its batch's commit",
          stats.p50Ms(),
          stats.p99Ms(),
          stats.maxMs(),
          stats.records(),
          measuredUnit);
      otherLatencies.forEach(
          (to, latencies) -> {
            LatencyStats other = LatencyStats.of(latencies);
            progress.printf(
                Locale.ROOT,
                "latency: Kafka timestamp to %s: p50 %,.0f ms, p99 %,.0f ms, max %,.0f ms over %,d"
                    + " records%n",
                to,
                other.p50Ms(),
                other.p99Ms(),
                other.maxMs(),
                other.records());
          });
      if (realTime.isEmpty()) {
        timeline.report().forEach(line -> progress.println("latency: " + line));
      }
      return new BenchReport.Latency(
          rate,
          options.latencySeconds(),
          sent.sent(),
          sent.perSecond(),
          committed,
          catchUpSeconds,
          stats,
          measuredUnit,
          part.latencyTargetMs(),
          options.warmUpSeconds());
    }

    /**
     * Waits until the query runs in its steady state before the measurement: a ledgered query has
     * initialized its source; a real-time query has written its warm-up markers' results.
     */
    private void awaitReady(RunningPipeline running, RealTimeResults.Watch resultsWatch)
        throws InterruptedException {
      long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
      if (realTime.isPresent()) {
        sendMarkers(realTime.get(), run.topic(Phase.LATENCY), WARM_UP_MARKERS);
      }
      while (realTime.isPresent()
          ? !markersWritten(resultsWatch, WARM_UP_MARKERS)
          : !running.isWaitingForData()) {
        running.requireHealthy();
        if (System.nanoTime() > deadline) {
          progress.println(
              "latency: the pipeline is not ready after "
                  + READY_TIMEOUT.toSeconds()
                  + " s; sending anyway");
          return;
        }
        Thread.sleep(50);
      }
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
