package dev.sluice.spark.stream;

import dev.sluice.core.config.ConfigException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Test-only crash points, so that a crash test can kill a pipeline exactly inside the windows where
 * exactly-once is hardest, instead of hoping a random kill lands there. {@code
 * SLUICE_FAULT=<point>[:<n>]} halts the JVM, as {@code kill -9} would (no shutdown hook, nothing
 * flushed), the {@code n}-th time (default the first) a batch reaches the point. Unset, each point
 * costs a field read.
 */
public final class FaultPoints {
  private static final Logger log = LoggerFactory.getLogger(FaultPoints.class);

  public static final String ENV = "SLUICE_FAULT";

  /** The exit status of a halt at a point: what a crash test expects, and no other exit has. */
  public static final int HALT_STATUS = 86;

  /** Where a batch can be halted. */
  public enum Point {
    /** The per-record rows are written, the ledger's transaction has not run. */
    BEFORE_LEDGER_COMMIT,
    /** The ledger has committed the batch, Spark's commit log does not have it yet. */
    AFTER_LEDGER_COMMIT,
    /**
     * A stateful batch's state stores have committed its new state version; neither the ledger nor
     * Spark's commit log have the batch.
     */
    AFTER_STATE_COMMIT;

    public String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private record Armed(Point point, int occurrence) {}

  private static final Optional<Armed> ARMED = parse(System.getenv(ENV));
  private static final AtomicInteger reached = new AtomicInteger();

  private FaultPoints() {}

  /** Checks {@value #ENV} at start-up, so that a typo fails loudly instead of testing nothing. */
  public static void validate() {
    parse(System.getenv(ENV));
  }

  /** Halts the JVM when {@value #ENV} arms this point and this is its occurrence. */
  public static void reach(Point point) {
    if (ARMED.isPresent()
        && ARMED.get().point() == point
        && reached.incrementAndGet() == ARMED.get().occurrence()) {
      log.error("{}={}: halting at {}", ENV, System.getenv(ENV), point.wire());
      Runtime.getRuntime().halt(HALT_STATUS);
    }
  }

  static Optional<Armed> parse(String value) {
    if (value == null || value.isBlank()) {
      return Optional.empty();
    }
    String[] parts = value.strip().split(":", 2);
    Optional<Point> point =
        Arrays.stream(Point.values()).filter(p -> p.wire().equals(parts[0])).findFirst();
    int occurrence;
    try {
      occurrence = parts.length == 2 ? Integer.parseInt(parts[1]) : 1;
    } catch (NumberFormatException e) {
      occurrence = 0;
    }
    if (point.isEmpty() || occurrence < 1) {
      throw new ConfigException(
          ENV
              + "='"
              + value
              + "' is not <point>[:<n>] with a point among "
              + Arrays.stream(Point.values()).map(Point::wire).toList()
              + " and n at least 1");
    }
    return Optional.of(new Armed(point.get(), occurrence));
  }
}
