package dev.sluice.loadgen.reviews;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.pipeline.PipelineDefinition;
import dev.sluice.core.reviews.ReviewsDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.NumberText;
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
 * Replays reviews into Kafka at a steady rate: the load of the demo and the benchmark, and the
 * reviews pipeline's {@link PipelineProducer}.
 *
 * <p>Run it through the launcher, which starts or finds the platform and sets {@code SLUICE_KAFKA}:
 *
 * <pre>
 * ./sluice produce reviews                       # the 10,000 held-out IMDB reviews at 2,000/s
 * ./sluice produce reviews --count 1000000 --rate 0 --all   # a million reviews, as fast as possible
 * ./sluice produce reviews --file my-reviews.jsonl --rate 100
 * </pre>
 *
 * <p>or directly: {@code SLUICE_KAFKA=127.0.0.1:19092 java -cp <sluice-loadgen classpath>
 * dev.sluice.loadgen.ProduceMain reviews --count 50000}.
 *
 * <p>Flags: {@code --rate N} reviews per second (default 2000; 0 = as fast as possible); {@code
 * --count N} reviews in total, replaying the source as often as needed (default: the source once);
 * {@code --file F} a JSON-lines file of reviews in the Sluice or Amazon format (see {@link
 * ReviewFormats}) instead of IMDB; {@code --all} all 50,000 IMDB reviews instead of the held-out
 * 20% the sentiment model never trains on; {@code --topic T} (default {@code reviews}).
 *
 * <p>It prints to stderr, for example:
 *
 * <pre>
 * produce: replaying 10,186 IMDB held-out reviews to topic 'reviews' at 2,000/s, 50,000 in total
 * produce: 4,000 / 50,000 reviews (2,001/s)
 * ...
 * produce: sent 50,000 reviews to topic 'reviews' in 25.0 s (2,000/s), 0 failed
 * </pre>
 *
 * <p>Bad lines of a {@code --file} are reported as {@code file:line: problem}, skipped and counted
 * in the summary. Exit status: 0 when every review was sent; 1 when any send failed or the source
 * had no valid reviews; 2 for bad flags or settings; 130 after Ctrl-C, which first flushes what was
 * sent and prints the summary.
 */
public final class ReviewsProducer implements PipelineProducer {

  /** Covers the replayer's wait for acknowledgements plus closing the producer. */
  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);

  /** The parsed command line. */
  record Options(String topic, long perSecond, OptionalLong count, Path file, boolean all) {}

  static final String SYNOPSIS = "sluice produce reviews";
  static final Flag<Integer> RATE =
      Flag.of(
          "--rate",
          Parser.intBetween(0, Integer.MAX_VALUE),
          "2000",
          "reviews per second; 0 = as fast as possible");
  static final Flag<Long> COUNT =
      Flag.of(
          "--count",
          Parser.longAtLeast(1),
          null,
          "reviews to send in total, replaying the source as needed (default: the source once)");
  static final Flag<Path> FILE =
      Flag.of(
          "--file",
          Parser.path(),
          null,
          "JSON lines of reviews ({text, score}, {text, label} or Amazon) instead of IMDB");
  static final Flag<Boolean> ALL =
      Flag.bool("--all", "all 50,000 IMDB reviews instead of the held-out 20%");
  static final Flag<String> TOPIC =
      Flag.of(
          "--topic", InputTopic.nameParser(), ReviewsDefinition.TOPIC, "the topic to produce to");
  static final List<Flag<?>> FLAGS = List.of(RATE, COUNT, FILE, ALL, TOPIC);

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
    Path file = parsed.optional(FILE).orElse(null);
    if (file != null && parsed.isSet(ALL)) {
      problems.add("--all selects all IMDB reviews; it cannot be combined with --file");
    }
    if (file != null && !Files.isRegularFile(file)) {
      problems.add("--file='" + file + "' is not valid: no such file");
    } else if (file != null && !Files.isReadable(file)) {
      problems.add("--file='" + file + "' is not valid: the file is not readable");
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    OptionalLong count = parsed.optional(COUNT).map(OptionalLong::of).orElse(OptionalLong.empty());
    return new Options(parsed.get(TOPIC), parsed.get(RATE), count, file, parsed.isSet(ALL));
  }

  @Override
  public int run(
      PipelineDefinition pipeline, List<String> args, SluiceConfig config, PrintStream err) {
    return PipelineProducer.parseThenSend(
        args, ReviewsProducer::parse, SYNOPSIS, FLAGS, options -> run(options, config, err));
  }

  static int run(Options options, SluiceConfig config, PrintStream err) {
    String bootstrap = config.requireKafka();
    ReviewSource source =
        options.file() != null
            ? ReviewSources.file(options.file(), err)
            : ReviewSources.imdb(config.datasets(), options.all());
    try (KafkaTopics topics = new KafkaTopics(bootstrap)) {
      topics.ensure(options.topic(), config.partitions(ReviewsDefinition.INPUT));
    }
    OptionalLong total = options.count().isPresent() ? options.count() : source.size();
    err.println(
        "produce: replaying "
            + (source.size().isPresent() ? NumberText.grouped(source.size().getAsLong()) + " " : "")
            + source.description()
            + " to topic '"
            + options.topic()
            + "' at "
            + (options.perSecond() == 0
                ? "full speed"
                : NumberText.grouped(options.perSecond()) + "/s")
            + (options.count().isPresent()
                ? ", " + NumberText.grouped(options.count().getAsLong()) + " in total"
                : ""));

    KafkaProducer<String, byte[]> producer =
        options.perSecond() == 0
            ? ReviewReplayer.bulkProducer(bootstrap)
            : ReliableProducer.create(bootstrap, "sluice-produce");
    ReviewReplayer replayer = new ReviewReplayer(producer, options.topic());
    try (StopOnSignal signal = StopOnSignal.install("produce", replayer::stop)) {
      ScheduledExecutorService progress = startProgress(replayer, total, err);
      ReviewReplayer.Result result;
      try {
        result = replayer.replay(source, options.count(), options.perSecond());
      } finally {
        progress.shutdownNow();
        producer.close(PRODUCER_CLOSE_TIMEOUT);
      }
      err.println(summary(result, options.topic()));
      if (result.firstFailure() != null) {
        err.println("produce: first failure: " + result.firstFailure());
      }
      if (result.exhausted() && result.sent() == 0 && result.failed() == 0) {
        err.println("produce: " + source.description() + " has no valid reviews");
        return ProduceMain.EXIT_FAILED;
      }
      return result.failed() > 0 ? ProduceMain.EXIT_FAILED : 0;
    }
  }

  static String summary(ReviewReplayer.Result result, String topic) {
    StringBuilder line = new StringBuilder("produce: ");
    if (result.stopped()) {
      line.append("interrupted: ");
    }
    line.append("sent ")
        .append(NumberText.grouped(result.sent()))
        .append(" reviews to topic '")
        .append(topic)
        .append("' in ")
        .append(String.format(Locale.ROOT, "%.1f s", result.elapsed().toMillis() / 1000.0))
        .append(" (")
        .append(NumberText.grouped(Math.round(result.perSecond())))
        .append("/s), ")
        .append(NumberText.grouped(result.failed()))
        .append(" failed");
    if (result.skipped() > 0) {
      line.append(", ").append(NumberText.grouped(result.skipped())).append(" bad lines skipped");
    }
    if (result.failed() >= TrackedSends.MAX_FAILURES) {
      line.append(" (gave up after ")
          .append(NumberText.grouped(TrackedSends.MAX_FAILURES))
          .append(" failures)");
    }
    return line.toString();
  }

  private static ScheduledExecutorService startProgress(
      ReviewReplayer replayer, OptionalLong total, PrintStream err) {
    return ProgressLines.start(
        "produce",
        replayer::acknowledged,
        (acknowledged, perSecond) ->
            "produce: "
                + NumberText.grouped(acknowledged)
                + (total.isPresent() ? " / " + NumberText.grouped(total.getAsLong()) : "")
                + " reviews ("
                + NumberText.grouped(perSecond)
                + "/s)"
                + (replayer.failed() > 0
                    ? ", " + NumberText.grouped(replayer.failed()) + " failed"
                    : ""),
        err);
  }
}
