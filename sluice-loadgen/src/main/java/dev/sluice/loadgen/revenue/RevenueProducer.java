package dev.sluice.loadgen.revenue;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.revenue.RevenueDefinition;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.NumberText;
import dev.sluice.loadgen.Pacer;
import dev.sluice.loadgen.PipelineProducer;
import dev.sluice.loadgen.ProduceMain;
import dev.sluice.loadgen.ProgressLines;
import dev.sluice.loadgen.StopOnSignal;
import dev.sluice.loadgen.TrackedSends;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * Revenue records for the revenue pipeline, to topic {@value RevenueRecord#TOPIC}: ids updated
 * again and again, with a share of late and of duplicate records ({@link RevenueTraffic}), or the
 * JSON lines of a file as they are. Every record is keyed by its id, so one id's records stay in
 * one partition, in the order they were sent. The revenue pipeline's {@link PipelineProducer}.
 *
 * <p>Run it through the launcher, which starts or finds the platform and sets {@code SLUICE_KAFKA}:
 *
 * <pre>
 * ./sluice produce revenue                                   # 1,000 ids, 100 records/s, until Ctrl-C
 * ./sluice produce revenue --ids 50 --rate 500 --count 20000 --late-share 0.1 --seed 7
 * ./sluice produce revenue --file records.jsonl --rate 0     # the file's lines, as fast as possible
 * </pre>
 *
 * <p>or directly: {@code SLUICE_KAFKA=127.0.0.1:19092 java -cp <sluice-loadgen classpath>
 * dev.sluice.loadgen.ProduceMain revenue --count 10000}.
 *
 * <p>Flags: {@code --ids N} distinct ids (default 1000); {@code --rate N} records per second, the
 * pace of sending and of event time (default 100; 0 = as fast as possible, event time then moves 1
 * ms a record); {@code --count N} or {@code --duration S} ({@code rate × S} records), without them
 * it sends until Ctrl-C; {@code --late-share F} and {@code --duplicate-share F} (default 0.05
 * each); {@code --seed N} (default 1); {@code --file F} JSON lines instead of generated records;
 * {@code --topic T}. It prints to stderr, for example:
 *
 * <pre>
 * produce: 1,000 ids to topic 'revenue' at 100 records/s, 5% late, 5% duplicates, seed 1, until Ctrl-C
 * produce: 200 records (100/s)
 * ...
 * produce: sent 20,000 records (1,003 late, 987 duplicates) to topic 'revenue' in 200.0 s (100/s), 0 failed
 * </pre>
 *
 * <p>With {@code --file}, the summary also counts the lines the pipeline will quarantine (and names
 * the first few with the reason), which are sent all the same. Exit status: 0 when everything was
 * sent; 1 when a send failed or the file cannot be read; 2 for bad flags or settings; 130 after
 * Ctrl-C, which first waits for what was sent and prints the summary.
 */
public final class RevenueProducer implements PipelineProducer {
  /** The input the revenue pipeline reads; its partitions can be set like every input's. */
  public static final InputTopic INPUT = RevenueDefinition.RECORDS;

  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** Rejected lines of a file named in the output; the rest are only counted. */
  static final int REJECTIONS_SHOWN = 5;

  /**
   * The parsed command line.
   *
   * @param count the records to send; empty to send until stopped
   */
  record Options(
      int ids,
      int perSecond,
      OptionalLong count,
      double lateShare,
      double duplicateShare,
      long seed,
      Path file,
      String topic) {}

  static final String SYNOPSIS = "sluice produce revenue";

  static final Flag<Integer> IDS =
      Flag.of("--ids", Parser.intBetween(1, 10_000_000), "1000", "distinct ids to update");
  static final Flag<Integer> RATE =
      Flag.of(
          "--rate",
          Parser.intBetween(0, 1_000_000),
          "100",
          "records per second, the pace of sending and of event time; 0 = as fast as possible");
  static final Flag<Long> COUNT =
      Flag.of("--count", Parser.longAtLeast(1), null, "records to send (default: until Ctrl-C)");
  static final Flag<Integer> DURATION =
      Flag.of(
          "--duration",
          Parser.intBetween(1, 365 * 24 * 3600),
          null,
          "seconds to send at --rate: rate × S records");
  static final Flag<Double> LATE_SHARE =
      Flag.of(
          "--late-share",
          share(),
          "0.05",
          "share of records that are late: an id's older state, sent after a newer one");
  static final Flag<Double> DUPLICATE_SHARE =
      Flag.of(
          "--duplicate-share",
          share(),
          "0.05",
          "share of records that are duplicates: a recent record's exact bytes again");
  static final Flag<Long> SEED =
      Flag.of(
          "--seed",
          Parser.of("a whole number", Long::parseLong),
          "1",
          "the same seed generates the same records");
  static final Flag<Path> FILE =
      Flag.of(
          "--file",
          Parser.path(),
          null,
          "JSON lines to send as they are, bad ones too, instead of generated records");
  static final Flag<String> TOPIC =
      Flag.of("--topic", InputTopic.nameParser(), RevenueRecord.TOPIC, "the topic to produce to");
  static final List<Flag<?>> FLAGS =
      List.of(IDS, RATE, COUNT, DURATION, LATE_SHARE, DUPLICATE_SHARE, SEED, FILE, TOPIC);

  private static Parser<Double> share() {
    return Parser.of(
        "a fraction from 0 to 0.9, e.g. 0.05",
        text -> {
          double value = Double.parseDouble(text);
          return value >= 0 && value <= 0.9 ? value : null;
        });
  }

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
    if (parsed.given(COUNT) && parsed.given(DURATION)) {
      problems.add("--count and --duration both bound the run: give one of them");
    }
    if (parsed.given(DURATION) && parsed.get(RATE) == 0) {
      problems.add("--duration needs a --rate above 0: it sends rate × S records");
    }
    if (parsed.get(LATE_SHARE) + parsed.get(DUPLICATE_SHARE) > 0.9) {
      problems.add(
          "--late-share and --duplicate-share add up to more than 0.9: most records must be"
              + " updates");
    }
    Path file = parsed.optional(FILE).orElse(null);
    if (file != null) {
      for (Flag<?> generatorOnly : List.of(IDS, LATE_SHARE, DUPLICATE_SHARE, SEED)) {
        if (parsed.given(generatorOnly)) {
          problems.add(
              generatorOnly.name()
                  + " shapes generated records; it cannot be combined with --file");
        }
      }
      if (!Files.isRegularFile(file)) {
        problems.add("--file='" + file + "' is not valid: no such file");
      } else if (!Files.isReadable(file)) {
        problems.add("--file='" + file + "' is not valid: the file is not readable");
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    OptionalLong count =
        parsed.given(COUNT)
            ? OptionalLong.of(parsed.get(COUNT))
            : parsed.given(DURATION)
                ? OptionalLong.of((long) parsed.get(DURATION) * parsed.get(RATE))
                : OptionalLong.empty();
    return new Options(
        parsed.get(IDS),
        parsed.get(RATE),
        count,
        parsed.get(LATE_SHARE),
        parsed.get(DUPLICATE_SHARE),
        parsed.get(SEED),
        file,
        parsed.get(TOPIC));
  }

  @Override
  public int run(
      PipelineDefinition pipeline, List<String> args, SluiceConfig config, PrintStream err) {
    return PipelineProducer.parseThenSend(
        args, RevenueProducer::parse, SYNOPSIS, FLAGS, options -> run(options, config, err));
  }

  static int run(Options options, SluiceConfig config, PrintStream err) {
    String bootstrap = config.requireKafka();
    try (KafkaTopics topics = new KafkaTopics(bootstrap)) {
      topics.ensure(options.topic(), config.partitions(INPUT));
    }
    err.println("produce: " + describe(options));
    KafkaProducer<String, byte[]> producer = ReliableProducer.create(bootstrap, "sluice-revenue");
    RevenueRun run = new RevenueRun(new TrackedSends(producer), options, err);
    try (StopOnSignal signal = StopOnSignal.install("produce", run::stop)) {
      ScheduledExecutorService progress = startProgress(run, err);
      Result result;
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

  static String describe(Options options) {
    String rate =
        options.perSecond() == 0
            ? "as fast as possible"
            : "at " + NumberText.grouped(options.perSecond()) + " records/s";
    String bound =
        options.count().isPresent()
            ? NumberText.grouped(options.count().getAsLong()) + " records"
            : "until Ctrl-C";
    if (options.file() != null) {
      return "the lines of "
          + options.file()
          + " to topic '"
          + options.topic()
          + "' "
          + rate
          + (options.count().isPresent() ? ", at most " + bound : "");
    }
    return NumberText.grouped(options.ids())
        + " ids to topic '"
        + options.topic()
        + "' "
        + rate
        + ", "
        + percent(options.lateShare())
        + " late, "
        + percent(options.duplicateShare())
        + " duplicates, seed "
        + options.seed()
        + ", "
        + bound;
  }

  private static String percent(double share) {
    return String.format(Locale.ROOT, "%.3g%%", share * 100).replaceFirst("\\.?0+%$", "%");
  }

  /**
   * What a run did.
   *
   * @param records records the broker acknowledged
   * @param late late records handed to Kafka (generated records only)
   * @param duplicates duplicates handed to Kafka (generated records only)
   * @param rejected lines of a file the pipeline will quarantine, sent all the same
   * @param skipped lines of a file left out: empty, or too long for Kafka
   */
  record Result(
      long records,
      long late,
      long duplicates,
      long rejected,
      long skipped,
      long failed,
      Duration elapsed,
      boolean stopped,
      String firstFailure) {}

  static String summary(Result result, Options options) {
    double seconds = result.elapsed().toNanos() / 1e9;
    String details =
        options.file() != null
            ? " ("
                + NumberText.grouped(result.rejected())
                + " the pipeline will quarantine, "
                + NumberText.grouped(result.skipped())
                + " empty or too long lines left out)"
            : " ("
                + NumberText.grouped(result.late())
                + " late, "
                + NumberText.grouped(result.duplicates())
                + " duplicates)";
    return "produce: "
        + (result.stopped() ? "interrupted: " : "")
        + "sent "
        + NumberText.grouped(result.records())
        + " records"
        + details
        + " to topic '"
        + options.topic()
        + "' in "
        + String.format(Locale.ROOT, "%.1f s", seconds)
        + " ("
        + NumberText.grouped(seconds > 0 ? Math.round(result.records() / seconds) : 0)
        + "/s), "
        + NumberText.grouped(result.failed())
        + " failed";
  }

  private static ScheduledExecutorService startProgress(RevenueRun run, PrintStream err) {
    return ProgressLines.start(
        "produce",
        run::acknowledged,
        (records, perSecond) ->
            "produce: "
                + NumberText.grouped(records)
                + " records ("
                + NumberText.grouped(perSecond)
                + "/s)",
        err);
  }

  /**
   * One run: sends generated records or a file's lines, paced, until the end, the count or a stop.
   */
  static final class RevenueRun {
    private final TrackedSends sends;
    private final Options options;
    private final PrintStream err;
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();

    RevenueRun(TrackedSends sends, Options options, PrintStream err) {
      this.sends = sends;
      this.options = options;
      this.err = err;
    }

    void stop() {
      sends.stop();
    }

    long acknowledged() {
      return sends.acknowledged();
    }

    Result send() {
      long startNanos = System.nanoTime();
      long rejected = 0;
      long skipped = 0;
      try {
        if (options.file() != null) {
          long[] fileCounts = sendFile();
          rejected = fileCounts[0];
          skipped = fileCounts[1];
        } else {
          sendGenerated();
        }
      } finally {
        sends.awaitOutcomes("revenue records");
      }
      return new Result(
          sends.acknowledged(),
          late.get(),
          duplicates.get(),
          rejected,
          skipped,
          sends.failed(),
          Duration.ofNanos(System.nanoTime() - startNanos),
          sends.stopRequested(),
          sends.firstFailure());
    }

    private void sendGenerated() {
      double stepMillis = options.perSecond() == 0 ? 1 : 1000.0 / options.perSecond();
      RevenueTraffic traffic =
          new RevenueTraffic(
              new RevenueTraffic.Settings(
                  options.ids(),
                  options.lateShare(),
                  options.duplicateShare(),
                  options.seed(),
                  System.currentTimeMillis(),
                  stepMillis));
      Pacer pacer = Pacer.perSecond(options.perSecond());
      long limit = options.count().orElse(Long.MAX_VALUE);
      while (!sends.shouldEnd() && sends.attempted() < limit) {
        RevenueTraffic.Item item = traffic.next();
        pacer.acquire();
        switch (item.kind()) {
          case LATE -> late.incrementAndGet();
          case DUPLICATE -> duplicates.incrementAndGet();
          case UPDATE -> {}
        }
        sends.send(options.topic(), item.key(), item.value());
      }
    }

    /** Returns the lines the pipeline will reject and the lines left out. */
    private long[] sendFile() {
      Pacer pacer = Pacer.perSecond(options.perSecond());
      long limit = options.count().orElse(Long.MAX_VALUE);
      long rejected = 0;
      try (RevenueFileLines lines = new RevenueFileLines(options.file())) {
        while (!sends.shouldEnd() && sends.attempted() < limit) {
          RevenueFileLines.Line line = lines.next();
          if (line == null) {
            break;
          }
          if (line.rejection() != null) {
            rejected++;
            if (rejected <= REJECTIONS_SHOWN) {
              err.println(
                  "produce: "
                      + options.file()
                      + ":"
                      + line.number()
                      + ": the pipeline will quarantine it: "
                      + line.rejection());
            }
          }
          pacer.acquire();
          sends.send(options.topic(), line.key(), line.value());
        }
        return new long[] {rejected, lines.empty() + lines.tooLong()};
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + options.file() + ": " + e.getMessage(), e);
      }
    }
  }
}
