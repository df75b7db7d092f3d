package dev.sluice.loadgen.packets;

import dev.sluice.core.config.Flag;
import dev.sluice.core.pipeline.InputTopic;
import dev.sluice.core.security.SecurityDefinition;
import dev.sluice.kafka.KafkaTopics;
import dev.sluice.kafka.ReliableProducer;
import dev.sluice.loadgen.NumberText;
import dev.sluice.loadgen.ProgressLines;
import dev.sluice.loadgen.StopOnSignal;
import dev.sluice.loadgen.TrackedSends;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.producer.KafkaProducer;

/**
 * One run of {@code import} or {@code capture}: the reliable producer, the packet sender, progress
 * every two seconds, the summary at the end, and Ctrl-C or SIGTERM, which stop the run after the
 * line being read, wait for Kafka's acknowledgements and print the same summary.
 */
final class PacketRun implements AutoCloseable {
  /** The security pipeline's packet topic, as its definition sizes it. */
  static final InputTopic PACKETS = SecurityDefinition.PACKETS;

  /** {@code --topic}, for import and capture alike. */
  static final Flag<String> TOPIC =
      Flag.of(
          "--topic", InputTopic.nameParser(), PACKETS.name(), "the topic to send the packets to");

  private static final Duration PRODUCER_CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private final String command;
  private final String topic;
  private final PrintStream err;
  private final KafkaProducer<String, byte[]> producer;
  private final TrackedSends sends;
  private final PacketSender sender;
  private final StopOnSignal signal;
  private final ScheduledExecutorService progress;
  private final long started = System.nanoTime();
  private volatile Runnable endInput;
  private volatile boolean stopped;

  PacketRun(String command, String bootstrap, String topic, int partitions, PrintStream err) {
    this.command = command;
    this.topic = topic;
    this.err = err;
    try (KafkaTopics topics = new KafkaTopics(bootstrap)) {
      topics.ensure(topic, partitions);
    }
    this.producer = ReliableProducer.create(bootstrap, "sluice-" + command);
    this.sends = new TrackedSends(producer);
    this.sender = new PacketSender(sends, topic, err, command);
    this.signal = StopOnSignal.install(command, this::stop);
    this.progress =
        ProgressLines.start(
            command,
            sends::acknowledged,
            (packets, perSecond) ->
                command
                    + ": "
                    + NumberText.grouped(packets)
                    + " packets sent ("
                    + NumberText.grouped(perSecond)
                    + "/s)"
                    + (sends.failed() > 0
                        ? ", " + NumberText.grouped(sends.failed()) + " failed"
                        : ""),
            err);
  }

  PacketSender sender() {
    return sender;
  }

  TrackedSends sends() {
    return sends;
  }

  /**
   * How a stop ends the input instead of dropping what is left of it: a live capture signals
   * tcpdump, whose last lines are then still read and sent before its output ends.
   */
  void onStop(Runnable endInput) {
    this.endInput = endInput;
  }

  /** Ends the run (Ctrl-C, SIGTERM): a file import after the line being read. */
  void stop() {
    stopped = true;
    Runnable end = endInput;
    if (end != null) {
      end.run();
    } else {
      sends.stop();
    }
  }

  boolean stopped() {
    return stopped;
  }

  /** Waits for the acknowledgements, prints the summary and gives the exit status of the sends. */
  int finish(String inputs) {
    sends.awaitOutcomes("packets");
    progress.shutdownNow();
    err.println(summary(inputs));
    if (sends.firstFailure() != null) {
      err.println(command + ": first failure: " + sends.firstFailure());
    }
    return sends.failed() > 0 ? ImportMain.EXIT_FAILED : 0;
  }

  String summary(String inputs) {
    double seconds = (System.nanoTime() - started) / 1e9;
    return command
        + ": "
        + (stopped() ? "stopped: " : "")
        + "sent "
        + NumberText.grouped(sends.acknowledged())
        + " packets "
        + inputs
        + " to topic '"
        + topic
        + "' in "
        + String.format(Locale.ROOT, "%.1f s", seconds)
        + ", "
        + NumberText.grouped(sends.failed())
        + " failed, "
        + sender.skippedText();
  }

  @Override
  public void close() {
    progress.shutdownNow();
    producer.close(PRODUCER_CLOSE_TIMEOUT);
    signal.close();
  }
}
