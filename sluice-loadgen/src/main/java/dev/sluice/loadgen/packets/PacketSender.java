package dev.sluice.loadgen.packets;

import dev.sluice.core.security.PacketCodec;
import dev.sluice.core.security.TcpdumpLines;
import dev.sluice.core.security.TcpdumpLines.Outcome;
import dev.sluice.core.security.TcpdumpLines.Skip;
import dev.sluice.loadgen.NumberText;
import dev.sluice.loadgen.TrackedSends;
import java.io.IOException;
import java.io.PrintStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Sends the packets of tcpdump's text lines to Kafka, keyed by their ids, and counts what it
 * skipped by reason over every input of a run. The first few skipped lines of each input are shown
 * with their reason, so a user sees why; the rest are only counted.
 */
final class PacketSender {
  /** Skipped lines shown per input; more would drown the progress. */
  static final int SHOWN_SKIPS = 5;

  private final TrackedSends sends;
  private final String topic;
  private final PrintStream err;
  private final String command;
  private final Map<Skip, Long> skipped = new EnumMap<>(Skip.class);
  private volatile long parsed;

  PacketSender(TrackedSends sends, String topic, PrintStream err, String command) {
    this.sends = sends;
    this.topic = topic;
    this.err = err;
    this.command = command;
  }

  /**
   * Reads {@code lines} to their end, or until the run should end ({@link TrackedSends#shouldEnd}),
   * with a reader of its own; {@code what} names the input in messages.
   */
  void send(BoundedLines lines, TcpdumpLines reader, String what) throws IOException {
    long lineNumber = 0;
    int shown = 0;
    for (String line = lines.next(); line != null && !sends.shouldEnd(); line = lines.next()) {
      lineNumber++;
      for (Outcome outcome : reader.accept(line)) {
        shown = handle(outcome, what, lineNumber, shown);
      }
    }
    for (Outcome outcome : reader.finish()) {
      shown = handle(outcome, what, lineNumber, shown);
    }
    reader.skipped().forEach((reason, count) -> skipped.merge(reason, count, Long::sum));
  }

  private int handle(Outcome outcome, String what, long lineNumber, int shown) {
    if (outcome.ok()) {
      sends.send(topic, outcome.packet().id(), PacketCodec.encode(outcome.packet()));
      parsed++;
      return shown;
    }
    boolean quiet =
        outcome.skip() == Skip.BANNER
            || outcome.skip() == Skip.BLANK
            || outcome.skip() == Skip.CONTINUATION;
    if (!quiet && shown < SHOWN_SKIPS) {
      err.println(
          command
              + ": "
              + what
              + ":"
              + lineNumber
              + ": skipped ("
              + outcome.skip().wire()
              + "): "
              + outcome.detail());
      return shown + 1;
    }
    return shown;
  }

  /** Packets read from the lines so far (sent or being sent). */
  long parsed() {
    return parsed;
  }

  long skippedTotal() {
    return skipped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** {@code 12 lines skipped (banner 2, malformed 10)}, or {@code 0 lines skipped}. */
  String skippedText() {
    long total = skippedTotal();
    String text = NumberText.grouped(total) + (total == 1 ? " line" : " lines") + " skipped";
    if (total == 0) {
      return text;
    }
    return text
        + skipped.entrySet().stream()
            .map(e -> e.getKey().wire() + " " + NumberText.grouped(e.getValue()))
            .collect(Collectors.joining(", ", " (", ")"));
  }

  TrackedSends sends() {
    return sends;
  }
}
