package dev.sluice.loadgen.security;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.core.security.SensorEvent;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.NumberText;
import dev.sluice.loadgen.Pacer;
import dev.sluice.loadgen.PipelineProducer;
import dev.sluice.loadgen.ProduceMain;
import dev.sluice.loadgen.ProgressLines;
import dev.sluice.loadgen.StopOnSignal;
import dev.sluice.loadgen.TrackedSends;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * The sensor simulator: ordinary traffic from many sensors and clients with scripted attacks, sent
 * to {@value SensorEvent#TOPIC}, and the exact ground truth of every attack to {@value
 * AttackTruth#TOPIC}. The security pipeline's {@link PipelineProducer}.
 *
 * <p>Run it through the launcher, which starts or finds the platform and sets {@code SLUICE_KAFKA}:
 *
 * <pre>
 * ./sluice produce sensors                             # scenario mixed, 200 events/s, 60 s
 * ./sluice produce sensors --scenario ddos --duration 40
 * ./sluice produce sensors --scenario injection --rate 1000 --count 50000 --seed 7
 * </pre>
 *
 * <p>or directly: {@code SLUICE_KAFKA=127.0.0.1:19092 java -cp <sluice-loadgen classpath>
 * dev.sluice.loadgen.ProduceMain security --scenario dos}.
 *
 * <p>Flags: {@code --scenario} {@code normal}, {@code injection}, {@code dos}, {@code ddos} or
 * {@code mixed} (default); {@code --rate N} ordinary events per second (default 200), attacks come
 * on top; {@code --duration S} seconds of event time (default 60); {@code --count N} at most N
 * events; {@code --seed N} (default 1): the same seed sends the same traffic; {@code --texts F}
 * benign body texts, one a line, instead of the IMDB reviews; {@code --topic}, {@code
 * --truth-topic}. It needs Debian's {@code wfuzz} and {@code sqlmap} for the payloads and user
 * agents.
 *
 * <p>Event time starts at the wall clock and advances with the schedule, not with the clock:
 * ordinary events are paced by {@link Pacer} at {@code --rate}, and each attack event goes out
 * right before the first ordinary event that is due after it. It prints to stderr, for example:
 *
 * <pre>
 * produce: scenario mixed (mostly ordinary traffic, an attack every 20 s ...) to topic 'sensor-events', 200 ordinary events/s for 60 s, seed 1, run m3k2a1
 * produce: 1,210 events, 3 attacks (611/s)
 * ...
 * produce: sent 33,410 events and 14 attack records to topics 'sensor-events' and 'sensor-truth' in 60.0 s, 0 failed
 * </pre>
 *
 * <p>Exit status: 0 when everything was sent; 1 when a send failed or a wordlist is missing; 2 for
 * bad flags or settings; 130 after Ctrl-C, which first sends the truth of what was sent.
 */
public final class SensorsProducer implements PipelineProducer {
  /** The input the security pipeline reads; its partitions can be set like every input's. */
  public static final InputTopic INPUT = SecurityDefinition.SENSOR_EVENTS;

  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The parsed command line. */
  record Options(
      Scenario scenario,
      int perSecond,
      long durationSeconds,
      OptionalLong count,
      long seed,
      Path texts,
      String topic,
      String truthTopic) {}

  static final String SYNOPSIS = "sluice produce sensors";

  static final Flag<Scenario> SCENARIO =
      Flag.of(
          "--scenario",
          Parser.of(
              "one of normal, injection, dos, ddos, mixed",
              text -> Scenario.fromWire(text).orElse(null)),
          "mixed",
          "what to send besides ordinary traffic");
  static final Flag<Integer> RATE =
      Flag.of(
          "--rate",
          Parser.intBetween(1, 1_000_000),
          "200",
          "ordinary events per second (event time and sending); attacks come on top");
  static final Flag<Integer> DURATION =
      Flag.of("--duration", Parser.intBetween(1, 7 * 24 * 3600), "60", "seconds of event time");
  static final Flag<Long> COUNT =
      Flag.of("--count", Parser.longAtLeast(1), null, "at most this many events in total");
  static final Flag<Long> SEED =
      Flag.of(
          "--seed",
          Parser.of("a whole number", Long::parseLong),
          "1",
          "the same seed sends the same traffic");
  static final Flag<Path> TEXTS =
      Flag.of(
          "--texts",
          Parser.path(),
          null,
          "benign body texts, one a line (UTF-8), instead of the IMDB reviews");
  static final Flag<String> TOPIC =
      Flag.of("--topic", InputTopic.nameParser(), SensorEvent.TOPIC, "the topic for sensor events");
  static final Flag<String> TRUTH_TOPIC =
      Flag.of(
          "--truth-topic",
          InputTopic.nameParser(),
          AttackTruth.TOPIC,
          "the topic for the ground truth, which no detector reads");
  static final List<Flag<?>> FLAGS =
      List.of(SCENARIO, RATE, DURATION, COUNT, SEED, TEXTS, TOPIC, TRUTH_TOPIC);

  /** Parses and checks the command line; {@code null} when help was asked for. */
  static Options parse(List<String> args) {
    Flags parsed = Flags.parse(args, FLAGS);
    if (parsed.helpRequested()) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    if (!parsed.positional().isEmpty()) {
      problems.add("unexpected argument(s) " + String.join(" ", parsed.positional()));
    }
    Path texts = parsed.optional(TEXTS).orElse(null);
    if (texts != null && !Files.isRegularFile(texts)) {
      problems.add("--texts='" + texts + "' is not valid: no such file");
    } else if (texts != null && !Files.isReadable(texts)) {
      problems.add("--texts='" + texts + "' is not valid: the file is not readable");
    }
    if (parsed.get(TOPIC).equals(parsed.get(TRUTH_TOPIC))) {
      problems.add("--truth-topic must differ from --topic: the detectors must never read it");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    OptionalLong count = parsed.optional(COUNT).map(OptionalLong::of).orElse(OptionalLong.empty());
    return new Options(
        parsed.get(SCENARIO),
        parsed.get(RATE),
        parsed.get(DURATION),
        count,
        parsed.get(SEED),
        texts,
        parsed.get(TOPIC),
        parsed.get(TRUTH_TOPIC));
  }

  @Override
  public int run(
      PipelineDefinition pipeline, List<String> args, SluiceConfig config, PrintStream err) {
    return PipelineProducer.parseThenSend(
        args,
        SensorsProducer::parse,
        SYNOPSIS,
        FLAGS,
        options -> run(options, config, AttackWordlists.debian(), err));
  }

  static int run(Options options, SluiceConfig config, AttackWordlists lists, PrintStream err) {
    String bootstrap = config.requireKafka();
    List<String> texts =
        options.texts() != null
            ? BenignTexts.file(options.texts(), lists.allPayloads())
            : BenignTexts.imdb(config.datasets(), lists.allPayloads());
    long start = System.currentTimeMillis();
    SensorTraffic.Settings settings =
        new SensorTraffic.Settings(
            options.scenario(),
            options.seed(),
            start,
            options.durationSeconds() * 1000,
            options.perSecond(),
            Long.toString(start, 36));
    try (KafkaTopics topics = new KafkaTopics(bootstrap)) {
      topics.ensure(options.topic(), config.partitions(INPUT));
      topics.ensure(options.truthTopic(), 1);
    }
    err.println(
        "produce: scenario "
            + options.scenario().wire()
            + " ("
            + options.scenario().description()
            + ") to topic '"
            + options.topic()
            + "', "
            + NumberText.grouped(options.perSecond())
            + " ordinary events/s for "
            + options.durationSeconds()
            + " s"
            + (options.count().isPresent()
                ? ", at most " + NumberText.grouped(options.count().getAsLong()) + " events"
                : "")
            + ", seed "
            + options.seed()
            + ", run "
            + settings.runId());

    KafkaProducer<String, byte[]> producer = ReliableProducer.create(bootstrap, "sluice-sensors");
    SensorRun run =
        new SensorRun(
            new SensorTraffic(settings, lists, texts),
            new TrackedSends(producer),
            new TrackedSends(producer),
            options);
    try (StopOnSignal signal = StopOnSignal.install("produce", run::stop)) {
      ScheduledExecutorService progress = startProgress(run, err);
      SensorRun.Result result;
      try {
        result = run.send();
      } finally {
        progress.shutdownNow();
        producer.close(PRODUCER_CLOSE_TIMEOUT);
      }
      err.println(summary(result, options));
      if (result.firstFailure() != null) {
        err.println("produce: first failure: " + result.firstFailure());
      }
      return result.failed() > 0 ? ProduceMain.EXIT_FAILED : 0;
    }
  }

  static String summary(SensorRun.Result result, Options options) {
    return "produce: "
        + (result.stopped() ? "interrupted: " : "")
        + "sent "
        + NumberText.grouped(result.events())
        + " events and "
        + NumberText.grouped(result.truths())
        + " attack records to topics '"
        + options.topic()
        + "' and '"
        + options.truthTopic()
        + "' in "
        + String.format(Locale.ROOT, "%.1f s", result.elapsed().toMillis() / 1000.0)
        + ", "
        + NumberText.grouped(result.failed())
        + " failed";
  }

  private static ScheduledExecutorService startProgress(SensorRun run, PrintStream err) {
    return ProgressLines.start(
        "produce",
        run::acknowledgedEvents,
        (events, perSecond) ->
            "produce: "
                + NumberText.grouped(events)
                + " events, "
                + NumberText.grouped(run.acknowledgedTruths())
                + " attack records ("
                + NumberText.grouped(perSecond)
                + "/s)",
        err);
  }

  /** One run: sends the traffic's items, paced, until the traffic ends, the count or a stop. */
  static final class SensorRun {
    private final SensorTraffic traffic;
    private final TrackedSends events;
    private final TrackedSends truths;
    private final Options options;

    /**
     * @param events the sends of sensor events
     * @param truths the sends of attack records, on the same producer
     */
    SensorRun(SensorTraffic traffic, TrackedSends events, TrackedSends truths, Options options) {
      this.traffic = traffic;
      this.events = events;
      this.truths = truths;
      this.options = options;
    }

    /**
     * The outcome.
     *
     * @param events sensor events the broker acknowledged
     * @param truths attack records the broker acknowledged
     * @param failed sends of either kind that failed
     */
    record Result(
        long events,
        long truths,
        long failed,
        Duration elapsed,
        boolean stopped,
        String firstFailure) {}

    void stop() {
      events.stop();
    }

    long acknowledgedEvents() {
      return events.acknowledged();
    }

    long acknowledgedTruths() {
      return truths.acknowledged();
    }

    Result send() {
      Pacer pacer = Pacer.perSecond(options.perSecond());
      long limit = options.count().orElse(Long.MAX_VALUE);
      long startNanos = System.nanoTime();
      try {
        boolean finished = false;
        while (true) {
          if (!finished && (events.shouldEnd() || events.attempted() >= limit)) {
            // Before the next event is made: the truth of attacks under way then covers exactly
            // the events sent.
            traffic.finish();
            finished = true;
          }
          SensorTraffic.Item item = traffic.next();
          if (item == null) {
            break;
          }
          if (item.truth() != null) {
            truths.send(options.truthTopic(), item.truth().attack(), item.truth().encode());
            continue;
          }
          if (item.paced()) {
            pacer.acquire();
          }
          SensorEvent event = item.event();
          events.send(options.topic(), event.id(), SensorEventCodec.encode(event));
        }
      } finally {
        events.awaitOutcomes("sensor events");
        truths.awaitOutcomes("attack records");
      }
      String firstFailure =
          events.firstFailure() != null ? events.firstFailure() : truths.firstFailure();
      return new Result(
          events.acknowledged(),
          truths.acknowledged(),
          events.failed() + truths.failed(),
          Duration.ofNanos(System.nanoTime() - startNanos),
          events.stopRequested(),
          firstFailure);
    }
  }
}
