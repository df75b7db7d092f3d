package dev.sluice.loadgen.consume;

import dev.sluice.core.config.ConfigException;
import dev.sluice.core.config.Flag;
import dev.sluice.core.config.Flags;
import dev.sluice.core.config.Parser;
import dev.sluice.core.config.SluiceConfig;
import dev.sluice.core.process.ParentWatch;
import dev.sluice.loadgen.NumberText;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Prints a Kafka topic as JSON lines on stdout, one per record ({@link RecordLine}), for reading
 * the pipelines' inputs and results or piping them into {@code jq}. Progress and the summary go to
 * stderr, so stdout holds only records.
 *
 * <p>Run it through the launcher, which finds the running platform:
 *
 * <pre>
 * ./sluice consume revenue.computed --from-beginning --count 5
 * ./sluice consume revenue --timeout 10 | jq -c 'select(.value.revenue_counter > 100)'
 * ./sluice consume revenue.computed --from-beginning --timeout 5 | jq -s 'group_by(.key) | length'
 * </pre>
 *
 * <p>or directly: {@code SLUICE_KAFKA=127.0.0.1:19092 java -cp <sluice-loadgen classpath>
 * dev.sluice.loadgen.consume.ConsumeMain revenue --from-beginning}. A line looks like:
 *
 * <pre>
 * {"topic":"revenue.computed","partition":1,"offset":0,"timestamp":1764518400123,"key":"acct-00001","value":{"id":"acct-00001","revenue":125.5,...}}
 * </pre>
 *
 * <p>Without {@code --from-beginning} it prints only records that arrive after it started. It ends
 * after {@code --count} records, after {@code --timeout} seconds without a record, or on Ctrl-C. It
 * reads every partition by assignment, as no consumer group: it commits nothing and moves no
 * group's offsets, unless {@code --group G} asks it to read as (and commit for) that group. It
 * reads only committed records of transactional producers, as the pipelines do.
 *
 * <p>Exit status: 0 when it ended as asked (by count, timeout or Ctrl-C); 1 when Kafka failed; 2
 * for bad flags, no Kafka, or a topic that does not exist (the message lists those that do).
 */
public final class ConsumeMain {
  static final int EXIT_FAILED = 1;
  static final int EXIT_USAGE = 2;

  private static final Duration POLL = Duration.ofMillis(200);
  private static final Duration KAFKA_TIMEOUT = Duration.ofSeconds(30);

  static final String SYNOPSIS = "sluice consume TOPIC";
  static final Flag<Boolean> FROM_BEGINNING =
      Flag.bool("--from-beginning", "every record the topic holds, not only those arriving now");
  static final Flag<Long> COUNT =
      Flag.of("--count", Parser.longAtLeast(1), null, "end after this many records");
  static final Flag<Integer> TIMEOUT =
      Flag.of(
          "--timeout",
          Parser.intBetween(1, 7 * 24 * 3600),
          null,
          "end after this many seconds without a record (default: wait until Ctrl-C)");
  static final Flag<String> GROUP =
      Flag.of(
          "--group",
          Parser.matching("letters, digits, '.', '_' or '-'", "[A-Za-z0-9._-]{1,200}"),
          null,
          "read as this consumer group and commit what was printed (default: no group)");
  static final List<Flag<?>> FLAGS = List.of(FROM_BEGINNING, COUNT, TIMEOUT, GROUP);

  /** The parsed command line. */
  record Options(
      String topic, boolean fromBeginning, OptionalLong count, OptionalInt timeout, String group) {}

  private ConsumeMain() {}

  public static void main(String[] args) {
    ParentWatch.exitWhenParentDies();
    PrintStream out =
        new PrintStream(
            new java.io.FileOutputStream(java.io.FileDescriptor.out),
            false,
            StandardCharsets.UTF_8);
    System.exit(run(List.of(args), System.getenv(), out, System.err));
  }

  /** Parses and checks the command line; {@code null} when help was asked for. */
  static Options parse(List<String> args) {
    Flags parsed = Flags.parse(args, FLAGS);
    if (parsed.helpRequested()) {
      return null;
    }
    List<String> problems = new ArrayList<>();
    if (parsed.positional().size() != 1) {
      problems.add(
          parsed.positional().isEmpty()
              ? "expected the topic to print, e.g. ./sluice consume revenue.computed"
              : "expected one topic, got " + String.join(" ", parsed.positional()));
    }
    if (!problems.isEmpty()) {
      throw new ConfigException(problems);
    }
    return new Options(
        parsed.positional().get(0),
        parsed.isSet(FROM_BEGINNING),
        parsed.optional(COUNT).map(OptionalLong::of).orElse(OptionalLong.empty()),
        parsed.optional(TIMEOUT).map(OptionalInt::of).orElse(OptionalInt.empty()),
        parsed.optional(GROUP).orElse(null));
  }

  static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err) {
    Options options;
    String bootstrap;
    try {
      options = parse(args);
      if (options == null) {
        out.print(Flags.usage(SYNOPSIS, FLAGS));
        out.flush();
        return 0;
      }
      bootstrap = SluiceConfig.from(env).requireKafka();
    } catch (ConfigException e) {
      e.problems().forEach(problem -> err.println("sluice consume: " + problem));
      return EXIT_USAGE;
    }
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(properties(bootstrap, options))) {
      return new TopicPrinter(consumer, options, out, err).run();
    } catch (UnknownTopic e) {
      err.println("sluice consume: " + e.getMessage());
      return EXIT_USAGE;
    } catch (KafkaException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("sluice consume: cannot read from Kafka: " + cause.getMessage());
      return EXIT_FAILED;
    }
  }

  static Properties properties(String bootstrap, Options options) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-consume");
    props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) KAFKA_TIMEOUT.toMillis());
    props.put(
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, options.fromBeginning() ? "earliest" : "latest");
    if (options.group() != null) {
      props.put(ConsumerConfig.GROUP_ID_CONFIG, options.group());
    }
    return props;
  }

  /** The topic does not exist; the message lists those that do. */
  static final class UnknownTopic extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UnknownTopic(String topic, java.util.Collection<String> existing) {
      super(
          "no topic '"
              + topic
              + "'; the topics are: "
              + (existing.isEmpty() ? "(none yet)" : String.join(", ", existing)));
    }
  }

  /** Reads and prints until the count, the timeout or a stop. */
  static final class TopicPrinter {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Options options;
    private final PrintStream out;
    private final PrintStream err;
    private volatile boolean stopped;

    TopicPrinter(
        KafkaConsumer<byte[], byte[]> consumer, Options options, PrintStream out, PrintStream err) {
      this.consumer = consumer;
      this.options = options;
      this.out = out;
      this.err = err;
    }

    int run() {
      List<TopicPartition> partitions = partitions();
      if (options.group() != null) {
        consumer.subscribe(List.of(options.topic()));
      } else {
        consumer.assign(partitions);
        if (options.fromBeginning()) {
          consumer.seekToBeginning(partitions);
        } else {
          consumer.seekToEnd(partitions);
        }
        // Positions now, so records that arrive from here on are printed: seekToEnd is lazy.
        partitions.forEach(consumer::position);
      }
      CountDownLatch done = new CountDownLatch(1);
      Thread onSignal =
          new Thread(
              () -> {
                stopped = true;
                consumer.wakeup();
                try {
                  done.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              },
              "consume-shutdown");
      Runtime.getRuntime().addShutdownHook(onSignal);
      long printed = 0;
      String ended = "stopped";
      try {
        long limit = options.count().orElse(Long.MAX_VALUE);
        long idleLimitNanos =
            options.timeout().isPresent()
                ? TimeUnit.SECONDS.toNanos(options.timeout().getAsInt())
                : Long.MAX_VALUE;
        long lastRecord = System.nanoTime();
        while (!stopped && printed < limit) {
          ConsumerRecords<byte[], byte[]> records;
          try {
            records = consumer.poll(POLL);
          } catch (WakeupException e) {
            break;
          }
          if (records.isEmpty()) {
            if (System.nanoTime() - lastRecord >= idleLimitNanos) {
              ended = "no record for " + options.timeout().getAsInt() + " s";
              break;
            }
            continue;
          }
          lastRecord = System.nanoTime();
          java.util.Map<TopicPartition, OffsetAndMetadata> next = new java.util.HashMap<>();
          for (ConsumerRecord<byte[], byte[]> record : records) {
            if (printed >= limit) {
              break;
            }
            out.println(RecordLine.of(record));
            printed++;
            next.put(
                new TopicPartition(record.topic(), record.partition()),
                new OffsetAndMetadata(record.offset() + 1));
          }
          out.flush();
          if (out.checkError()) {
            // The reader went away (jq exited, head had enough): nothing more to print to.
            ended = "stdout closed";
            break;
          }
          if (options.group() != null) {
            consumer.commitSync(next);
          }
        }
        if (printed >= limit) {
          ended = "count reached";
        }
      } finally {
        out.flush();
        err.println(
            "consume: "
                + NumberText.grouped(printed)
                + " records from topic '"
                + options.topic()
                + "' ("
                + ended
                + ")");
        done.countDown();
        try {
          Runtime.getRuntime().removeShutdownHook(onSignal);
        } catch (IllegalStateException shuttingDown) {
          // The hook is running: it waits for done, which is counted down.
        }
      }
      return 0;
    }

    private List<TopicPartition> partitions() {
      Map<String, List<PartitionInfo>> topics = consumer.listTopics(KAFKA_TIMEOUT);
      List<PartitionInfo> infos = topics.get(options.topic());
      if (infos == null || infos.isEmpty()) {
        TreeSet<String> existing = new TreeSet<>();
        topics.keySet().stream().filter(t -> !t.startsWith("__")).forEach(existing::add);
        throw new UnknownTopic(options.topic(), existing);
      }
      List<TopicPartition> partitions = new ArrayList<>();
      infos.forEach(info -> partitions.add(new TopicPartition(info.topic(), info.partition())));
      return partitions;
    }
  }
}
