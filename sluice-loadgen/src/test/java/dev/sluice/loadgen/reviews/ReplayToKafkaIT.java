package dev.sluice.loadgen.reviews;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.process.SluiceModules;
import dev.sluice.core.reviews.HeldOut;
import dev.sluice.core.reviews.Review;
import dev.sluice.core.reviews.ReviewCodec;
import dev.sluice.core.reviews.Sentiment;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.testkit.EmbeddedPlatform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The replayer against a real Kafka broker, through its API and as the {@code produce} command. */
class ReplayToKafkaIT {
  /** Kept between runs (under target/), so the IMDB download happens once per clean build. */
  private static final Path HOME = Path.of("target", "test-home").toAbsolutePath();

  private static EmbeddedPlatform platform;

  @TempDir Path dir;

  @BeforeAll
  static void startPlatform() {
    platform = EmbeddedPlatform.shared();
  }

  private static String newTopic() {
    return "replay-" + UUID.randomUUID();
  }

  @Test
  void theApiSendsExactlyTheCountWithUniqueIdsAtTheRate() {
    String topic = newTopic();
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      topics.ensure(topic, 3);
    }
    List<Review> seven =
        IntStream.range(0, 7)
            .mapToObj(
                i ->
                    new Review(
                        "r" + i, "review number " + i, 1 + i % 5, null, 1_700_000_000_000L + i))
            .toList();
    ReviewReplayer.Result result;
    try (KafkaProducer<String, byte[]> producer =
        ReliableProducer.create(platform.kafka(), "replay-test")) {
      result =
          new ReviewReplayer(producer, topic)
              .replay(ReviewSources.of("seven", seven), OptionalLong.of(600), 1000);
    }

    assertThat(result.sent()).isEqualTo(600);
    assertThat(result.failed()).isZero();
    assertThat(result.stopped()).isFalse();
    // 600 events at 1000/s: the last is due after 599 ms, so the replay kept the rate if it took
    // at least that long (how much longer depends on the machine, not on the replayer).
    assertThat(result.elapsed()).isGreaterThanOrEqualTo(Duration.ofMillis(590));
    List<ConsumerRecord<String, byte[]>> records = consumeAll(topic, 600);
    List<Review> reviews = decodeAll(records);
    assertThat(reviews)
        .extracting(Review::id)
        .doesNotHaveDuplicates()
        .contains("r0", "r6", "r0~2", "r3~86");
    assertThat(reviews)
        .filteredOn(r -> r.id().equals("r3~86"))
        .singleElement()
        .isEqualTo(new Review("r3~86", "review number 3", 4, null, 1_700_000_000_003L));
  }

  @Test
  void theCommandReplaysHeldOutImdbReviewsAtFullSpeed() throws Exception {
    String topic = newTopic();
    Run run = produce(List.of("reviews", "--count", "12000", "--rate", "0", "--topic", topic));

    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.stderr)
        .contains("produce: sent 12,000 reviews to topic '" + topic + "'")
        .contains(", 0 failed");
    List<Review> reviews = decodeAll(consumeAll(topic, 12_000));
    assertThat(reviews).extracting(Review::id).doesNotHaveDuplicates();
    assertThat(reviews)
        .allSatisfy(
            r -> {
              assertThat(r.id()).startsWith("imdb-");
              assertThat(HeldOut.isHeldOut(r.id().replaceAll("~\\d+$", ""))).as(r.id()).isTrue();
              assertThat(r.label()).isIn(Sentiment.POS, Sentiment.NEG);
            });
    // About 10,000 are held out, so 12,000 needs a second pass with suffixed ids.
    assertThat(reviews).anyMatch(r -> r.id().endsWith("~2"));
  }

  @Test
  void theCommandReplaysAFileAndSkipsItsBadLines() throws Exception {
    Path file = dir.resolve("mixed.jsonl");
    Files.writeString(
        file,
        String.join(
            "\n",
            "{\"id\":\"a\",\"text\":\"Lovely\",\"score\":5}",
            "{\"text\":\"Terrible\",\"score\":0}",
            "{\"reviewText\":\"Works — très bien\",\"overall\":4.0,\"asin\":\"B1\",\"reviewerID\":\"R1\",\"unixReviewTime\":1600000000}",
            "oops",
            "{\"id\":\"b\",\"text\":\"Boring\",\"label\":\"neg\"}"),
        StandardCharsets.UTF_8);
    String topic = newTopic();

    Run run =
        produce(List.of("reviews", "--file", file.toString(), "--rate", "100", "--topic", topic));

    assertThat(run.exitCode).as(run.stderr).isZero();
    assertThat(run.stderr)
        .contains(file + ":2: score must be a whole number from 1 to 5, got 0")
        .contains(file + ":4: not valid JSON")
        .contains("sent 3 reviews to topic '" + topic + "'")
        .contains("2 bad lines skipped");
    List<Review> reviews = decodeAll(consumeAll(topic, 3));
    assertThat(reviews)
        .containsExactlyInAnyOrder(
            new Review("a", "Lovely", 5, null, null),
            new Review("amazon-B1-R1", "Works — très bien", 4, null, 1_600_000_000_000L),
            new Review("b", "Boring", null, Sentiment.NEG, null));
  }

  /**
   * Ctrl-C sends SIGINT. A child of a non-interactive shell's background job inherits SIGINT as
   * ignored, and a JVM never handles an ignored SIGINT; there the test sends SIGTERM, which takes
   * the same shutdown path and exits with 143 instead of 130.
   */
  @Test
  void ctrlCFlushesPrintsTheSummaryAndExits130() throws Exception {
    String topic = newTopic();
    Process process =
        start(List.of("reviews", "--count", "1000000", "--rate", "500", "--topic", topic));
    StderrCollector stderr = new StderrCollector(process);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!stderr.text().contains(" / 1,000,000 reviews (")) {
      assertThat(System.nanoTime())
          .as("a progress line within 60 s: %s", stderr.text())
          .isLessThan(deadline);
      assertThat(process.isAlive()).as(stderr.text()).isTrue();
      Thread.sleep(100);
    }
    boolean sigintIgnored = signalIgnored(process.pid(), 2);
    Process kill =
        new ProcessBuilder("kill", sigintIgnored ? "-TERM" : "-INT", Long.toString(process.pid()))
            .start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    stderr.join();

    assertThat(process.exitValue()).as(stderr.text()).isEqualTo(sigintIgnored ? 143 : 130);
    Matcher sent =
        Pattern.compile("produce: interrupted: sent ([\\d,]+) reviews").matcher(stderr.text());
    assertThat(sent.find()).as(stderr.text()).isTrue();
    long count = Long.parseLong(sent.group(1).replace(",", ""));
    assertThat(count).isBetween(500L, 999_999L);
    try (KafkaTopics topics = new KafkaTopics(platform.kafka())) {
      assertThat(topics.endOffsetSum(topic))
          .as("every acknowledged review is in the topic, nothing more")
          .isEqualTo(count);
    }
  }

  /** Whether a process ignores a signal, from the SigIgn mask in /proc (Linux). */
  private static boolean signalIgnored(long pid, int signal) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("SigIgn:")) {
        return (Long.parseLong(line.substring("SigIgn:".length()).strip(), 16)
                & (1L << (signal - 1)))
            != 0;
      }
    }
    return false;
  }

  @Test
  void withoutKafkaTheCommandSaysWhatToSet() throws Exception {
    Map<String, String> env = new HashMap<>(childEnv());
    env.remove("SLUICE_KAFKA");
    Run run = run(List.of("reviews", "--count", "1"), env);
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.stderr.strip()).startsWith("sluice produce: SLUICE_KAFKA is not set");
  }

  @Test
  void badFlagsExitWithOneLineEach() throws Exception {
    Run run = produce(List.of("reviews", "--rate", "abc", "--bogus"));
    assertThat(run.exitCode).isEqualTo(2);
    assertThat(run.stderr.lines().toList())
        .containsExactly(
            "sluice produce: --rate='abc' is not valid: expected a whole number of at least 0",
            "sluice produce: unknown option --bogus: expected one of --rate, --count, --file, --all, --topic");
  }

  // --- helpers -------------------------------------------------------------------------------

  private record Run(int exitCode, String stderr) {}

  private static Map<String, String> childEnv() {
    Map<String, String> env = new HashMap<>(platform.env());
    env.put("SLUICE_HOME", HOME.toString());
    return env;
  }

  private static Run produce(List<String> args) throws Exception {
    return run(args, childEnv());
  }

  private static Process start(List<String> args, Map<String, String> env) throws IOException {
    ProcessBuilder builder =
        SluiceModules.locate()
            .java("sluice-loadgen", "dev.sluice.loadgen.ProduceMain", List.of("-Xmx512m"), args);
    builder.environment().remove("SLUICE_KAFKA");
    builder.environment().putAll(env);
    builder.redirectOutput(ProcessBuilder.Redirect.DISCARD);
    return builder.start();
  }

  private static Process start(List<String> args) throws IOException {
    return start(args, childEnv());
  }

  private static Run run(List<String> args, Map<String, String> env) throws Exception {
    Process process = start(args, env);
    StderrCollector stderr = new StderrCollector(process);
    assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("produce finishes").isTrue();
    stderr.join();
    return new Run(process.exitValue(), stderr.text());
  }

  /** Reads a child's stderr as it comes, so a test can wait for a line while the child runs. */
  private static final class StderrCollector extends Thread {
    private final Process process;
    private final StringBuffer text = new StringBuffer();

    StderrCollector(Process process) {
      this.process = process;
      setDaemon(true);
      start();
    }

    @Override
    public void run() {
      try (var reader = process.errorReader(StandardCharsets.UTF_8)) {
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          text.append(line).append('\n');
        }
      } catch (IOException e) {
        text.append("(stderr unreadable: ").append(e.getMessage()).append(")\n");
      }
    }

    String text() {
      return text.toString();
    }
  }

  private static List<ConsumerRecord<String, byte[]>> consumeAll(String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, platform.kafka());
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props)) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (PartitionInfo info : consumer.partitionsFor(topic, Duration.ofSeconds(30))) {
        partitions.add(new TopicPartition(topic, info.partition()));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions, Duration.ofSeconds(30));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
          && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
    }
    assertThat(records).as("records in %s", topic).hasSize(expected);
    return records;
  }

  private static List<Review> decodeAll(List<ConsumerRecord<String, byte[]>> records) {
    List<Review> reviews = new ArrayList<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      ReviewCodec.Decoded decoded = ReviewCodec.decode(record.value());
      assertThat(decoded.reason()).as(new String(record.value(), StandardCharsets.UTF_8)).isNull();
      assertThat(record.key()).isEqualTo(decoded.review().id());
      reviews.add(decoded.review());
    }
    return reviews;
  }
}
