package dev.sluice.loadgen.calls;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.core.calls.CallsDefinition;
import dev.sluice.core.calls.PoliceCall;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.NumberText;
import dev.sluice.loadgen.Pacer;
import dev.sluice.loadgen.PipelineProducer;
import dev.sluice.loadgen.ProduceMain;
import dev.sluice.loadgen.StopOnSignal;
import dev.sluice.loadgen.TrackedSends;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Police calls for the calls pipeline, to topic {@value CallsDefinition#TOPIC}, keyed by {@code
 * crime_id}: replayed from a file of the published dataset, or generated ({@link CallGenerator}).
 *
 * <p>Run it through the launcher, which starts or finds the platform and sets {@code SLUICE_KAFKA}:
 *
 * <pre>
 * ./sluice produce calls                                  # generated: 50 calls/s for a minute
 * ./sluice produce calls --rate 500 --count 100000 --seed 7
 * ./sluice produce calls --file police-department-calls-for-service.json   # event-time order
 * ./sluice produce calls --file calls.jsonl --order as-given --rate 2000
 * </pre>
 *
 * <p>{@code --file} reads the dataset as released (one JSON array over many lines, read as a
 * stream, never whole) or JSON lines, and sends its records unchanged; with {@code --order
 * event-time} (the default) it first sorts them by {@code call_date_time} in bounded memory,
 * through temporary files under {@code --temp-dir} ({@link EventTimeOrder}). It prints to stderr,
 * e.g.
 *
 * <pre>
 * produce: generated calls to topic 'calls', 50 calls/s, 3,000 calls, 120 calls per hour of event time from 2026-11-30T08:00, seed 1, run m3k2a1
 * produce: sent 3,000 calls to topic 'calls' in 60.0 s, 0 failed; event time reached 2026-12-01T09:02 (San Francisco)
 * </pre>
 *
 * <p>Exit status: 0 when everything was sent; 1 when a send failed or the file cannot be read; 2
 * for bad flags.
 */
public final class CallsProducer implements PipelineProducer {
  static final String SYNOPSIS = "sluice produce calls";

  /** The order a file's records are sent in. */
  enum Order {
    EVENT_TIME,
    AS_GIVEN
  }

  static final Flag<Path> FILE =
      Flag.of(
          "--file",
          Parser.path(),
          null,
          "replay this file: the dataset's JSON array, or JSON lines; without it, calls are generated");
  static final Flag<Order> ORDER =
      Flag.of(
          "--order",
          Parser.of(
              "event-time or as-given",
              text ->
                  switch (text) {
                    case "event-time" -> Order.EVENT_TIME;
                    case "as-given" -> Order.AS_GIVEN;
                    default -> null;
                  }),
          "event-time",
          "a file's records sorted by call_date_time (bounded memory, temporary files), or as given");
  static final Flag<Integer> RATE =
      Flag.of("--rate", Parser.intBetween(1, 1_000_000), "50", "calls per second");
  static final Flag<Long> COUNT =
      Flag.of(
          "--count",
          Parser.longAtLeast(1),
          null,
          "at most this many calls (default: a file's every record, or a minute of generated calls)");
  static final Flag<Long> SEED =
      Flag.of(
          "--seed",
          Parser.of("a whole number", Long::parseLong),
          "1",
          "the same seed generates the same calls");
  static final Flag<Integer> CALLS_PER_HOUR =
      Flag.of(
          "--calls-per-hour",
          Parser.intBetween(1, 1_000_000),
          "120",
          "generated calls per hour of event time, on average");
  static final Flag<Double> UNKNOWN_SHARE =
      Flag.of(
          "--unknown-share",
          Parser.of(
              "a fraction from 0 to 1",
              text -> {
                double share = Double.parseDouble(text);
                return share >= 0 && share <= 1 ? share : null;
              }),
          "0.02",
          "the share of generated calls with a disposition outside the radio codes");
  static final Flag<LocalDateTime> START =
      Flag.of(
          "--start",
          Parser.of("a San Francisco date and time like 2018-12-31T23:00", LocalDateTime::parse),
          null,
          "the generated calls' first event time (default: the current hour in San Francisco)");
  static final Flag<String> TOPIC =
      Flag.of(
          "--topic",
          dev.sluice.core.pipeline.InputTopic.nameParser(),
          CallsDefinition.TOPIC,
          "the topic to send to");
  static final Flag<Path> TEMP_DIR =
      Flag.of(
          "--temp-dir",
          Parser.path(),
          null,
          "where --order event-time keeps its sorted runs (default: the system's temporary directory)");
  static final List<Flag<?>> FLAGS =
      List.of(
          FILE, ORDER, RATE, COUNT, SEED, CALLS_PER_HOUR, UNKNOWN_SHARE, START, TOPIC, TEMP_DIR);

  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The parsed command line. */
  record Options(
      Optional<Path> file,
      Order order,
      int perSecond,
      Optional<Long> count,
      long seed,
      int callsPerHour,
      double unknownShare,
      Optional<LocalDateTime> start,
      String topic,
      Path tempDir) {}

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
    Optional<Path> file = parsed.optional(FILE);
    if (file.isPresent() && !Files.isRegularFile(file.get())) {
      problems.add("--file='" + file.get() + "' is not valid: no such file");
    } else if (file.isPresent() && !Files.isReadable(file.get())) {
      problems.add("--file='" + file.get() + "' is not valid: the file is not readable");
    }
    if (file.isPresent()) {
      for (Flag<?> generatorOnly : List.of(SEED, CALLS_PER_HOUR, UNKNOWN_SHARE, START)) {
        if (parsed.given(generatorOnly)) {
          problems.add(generatorOnly.name() + " applies to generated calls, not to --file");
        }
      }
    } else if (parsed.given(ORDER) || parsed.given(TEMP_DIR)) {
      problems.add(
          "--order and --temp-dir apply to --file: generated calls are in event-time order");
    }
    Path tempDir = parsed.optional(TEMP_DIR).orElse(Path.of(System.getProperty("java.io.tmpdir")));
    if (!Files.isDirectory(tempDir)) {
      problems.add("--temp-dir='" + tempDir + "' is not valid: no such directory");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Options(
        file,
        parsed.get(ORDER),
        parsed.get(RATE),
        parsed.optional(COUNT),
        parsed.get(SEED),
        parsed.get(CALLS_PER_HOUR),
        parsed.get(UNKNOWN_SHARE),
        parsed.optional(START),
        parsed.get(TOPIC),
        tempDir);
  }

  @Override
  public int run(
      PipelineDefinition pipeline, List<String> args, SluiceConfig config, PrintStream err) {
    return PipelineProducer.parseThenSend(
        args, CallsProducer::parse, SYNOPSIS, FLAGS, options -> run(options, config, err));
  }

  static int run(Options options, SluiceConfig config, PrintStream err) {
    String bootstrap = config.requireKafka();
    try (KafkaTopics topics = new KafkaTopics(bootstrap)) {
      topics.ensure(options.topic(), config.partitions(CallsDefinition.INPUT));
    }
    KafkaProducer<String, byte[]> producer = ReliableProducer.create(bootstrap, "sluice-calls");
    TrackedSends sends = new TrackedSends(producer);
    long started = System.nanoTime();
    String reached;
    try (StopOnSignal signal = StopOnSignal.install("produce", sends::stop)) {
      try {
        reached =
            options.file().isPresent()
                ? replay(options, sends, err)
                : generate(options, sends, err);
      } catch (IOException e) {
        err.println("produce: cannot read " + options.file().orElseThrow() + ": " + e.getMessage());
        return ProduceMain.EXIT_FAILED;
      } finally {
        sends.awaitOutcomes("calls");
        producer.close(PRODUCER_CLOSE_TIMEOUT);
      }
      return summarize(options, sends, started, reached, err);
    }
  }

  private static int summarize(
      Options options, TrackedSends sends, long started, String reached, PrintStream err) {
    err.println(
        "produce: "
            + (sends.stopRequested() ? "interrupted: " : "")
            + "sent "
            + NumberText.grouped(sends.acknowledged())
            + " calls to topic '"
            + options.topic()
            + "' in "
            + String.format(Locale.ROOT, "%.1f s", (System.nanoTime() - started) / 1e9)
            + ", "
            + NumberText.grouped(sends.failed())
            + " failed"
            + reached);
    if (sends.firstFailure() != null) {
      err.println("produce: first failure: " + sends.firstFailure());
    }
    return sends.failed() > 0 ? ProduceMain.EXIT_FAILED : 0;
  }

  private static String generate(Options options, TrackedSends sends, PrintStream err) {
    ZonedDateTime start =
        options
            .start()
            .map(local -> local.atZone(PoliceCallCodec.ZONE))
            .orElseGet(() -> ZonedDateTime.now(PoliceCallCodec.ZONE).truncatedTo(ChronoUnit.HOURS));
    long startMillis = start.toInstant().toEpochMilli();
    String runId = Long.toString(System.currentTimeMillis(), 36);
    long count = options.count().orElse(options.perSecond() * 60L);
    CallGenerator generator =
        new CallGenerator(
            new CallGenerator.Settings(
                options.seed(),
                runId,
                startMillis,
                options.callsPerHour(),
                options.unknownShare()));
    err.println(
        "produce: generated calls to topic '"
            + options.topic()
            + "', "
            + NumberText.grouped(options.perSecond())
            + " calls/s, "
            + NumberText.grouped(count)
            + " calls, "
            + NumberText.grouped(options.callsPerHour())
            + " calls per hour of event time from "
            + start.toLocalDateTime()
            + ", seed "
            + options.seed()
            + ", run "
            + runId);
    Pacer pacer = Pacer.perSecond(options.perSecond());
    for (long i = 0; i < count && !sends.shouldEnd(); i++) {
      PoliceCall call = generator.next();
      pacer.acquire();
      sends.send(options.topic(), call.crimeId(), PoliceCallCodec.encode(call));
    }
    return "; event time reached "
        + PoliceCallCodec.callDateTime(generator.eventTime().toEpochMilli()).substring(0, 16)
        + " (San Francisco)";
  }

  private static String replay(Options options, TrackedSends sends, PrintStream err)
      throws IOException {
    Path file = options.file().orElseThrow();
    CallFiles.Records opened = CallFiles.open(file);
    CallFiles.Records records =
        options.order() == Order.EVENT_TIME
            ? EventTimeOrder.sort(opened, options.tempDir(), EventTimeOrder.CHUNK_RECORDS)
            : opened;
    err.println(
        "produce: replaying "
            + file
            + " ("
            + records.format()
            + ") to topic '"
            + options.topic()
            + "', "
            + NumberText.grouped(options.perSecond())
            + " calls/s"
            + options.count().map(n -> ", at most " + NumberText.grouped(n)).orElse(""));
    Pacer pacer = Pacer.perSecond(options.perSecond());
    long limit = options.count().orElse(Long.MAX_VALUE);
    try (records) {
      long sent = 0;
      for (byte[] value = records.next();
          value != null && sent < limit && !sends.shouldEnd();
          value = records.next(), sent++) {
        pacer.acquire();
        sends.send(options.topic(), crimeId(value), value);
      }
    }
    return "";
  }

  /** A record's {@code crime_id}, its key; {@code null} for a record without one. */
  static String crimeId(byte[] value) {
    try {
      JsonNode id = JSON.readTree(value).get("crime_id");
      return id != null && id.isTextual() ? id.textValue() : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
