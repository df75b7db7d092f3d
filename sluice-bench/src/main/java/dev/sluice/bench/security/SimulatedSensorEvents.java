package dev.sluice.bench.security;

import dev.sluice.bench.BenchRecord;
import dev.sluice.bench.BenchRecords;
import dev.sluice.core.security.SensorEventCodec;
import dev.sluice.loadgen.security.AttackWordlists;
import dev.sluice.loadgen.security.Scenario;
import dev.sluice.loadgen.security.SensorTraffic;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;

/**
 * The sensor simulator's events ({@link SensorTraffic}, scenario {@code injection}, a fixed seed):
 * ordinary requests and connection records with a wfuzz payload among them about once in a hundred
 * events, the share the alert latency is measured on. Every pass is the same sequence, its event
 * ids unique within it.
 */
final class SimulatedSensorEvents implements BenchRecords {
  static final long SEED = 20_261_130L;

  /** Ordinary events per second of event time: 600 ordinary events to an attempt's 6 attacks. */
  static final int ORDINARY_PER_SECOND = 300;

  private final AttackWordlists lists;
  private final List<String> texts;

  SimulatedSensorEvents(AttackWordlists lists, List<String> texts) {
    this.lists = lists;
    this.texts = List.copyOf(texts);
  }

  @Override
  public String description() {
    return String.format(
        Locale.ROOT,
        "the sensor simulator's events (scenario %s, %.1f%% of them attacks, %,d benign texts)",
        Scenario.INJECTION.wire(),
        100.0
            * SensorTraffic.INJECTION_PAYLOADS
            / (2 * ORDINARY_PER_SECOND + SensorTraffic.INJECTION_PAYLOADS),
        texts.size());
  }

  @Override
  public Iterator<BenchRecord> iterator() {
    SensorTraffic traffic =
        new SensorTraffic(
            new SensorTraffic.Settings(
                Scenario.INJECTION, SEED, 0, Long.MAX_VALUE / 2, ORDINARY_PER_SECOND, "bench"),
            lists,
            texts);
    return BenchRecords.endless(
        () -> {
          // The ground truth the simulator interleaves is not an event: the benchmark has no use
          // for it (the plain loop is what the pipeline's alerts are checked against).
          for (int skipped = 0; skipped < 1_000; skipped++) {
            SensorTraffic.Item item = traffic.next();
            if (item == null) {
              throw new NoSuchElementException("the simulator's event time ran out");
            }
            if (item.event() != null) {
              return new BenchRecord(item.event().id(), SensorEventCodec.encode(item.event()));
            }
          }
          throw new IllegalStateException("the simulator sent 1,000 truths without an event");
        });
  }
}
