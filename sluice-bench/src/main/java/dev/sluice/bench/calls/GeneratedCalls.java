package dev.sluice.bench.calls;

import dev.sluice.bench.BenchRecord;
import dev.sluice.bench.BenchRecords;
import dev.sluice.core.calls.PoliceCall;
import dev.sluice.core.calls.PoliceCallCodec;
import dev.sluice.loadgen.calls.CallGenerator;
import java.time.Instant;
import java.util.Iterator;

/**
 * Police calls as {@code ./sluice produce calls} generates them, keyed by {@code crime_id}, in
 * event-time order; every pass starts over with the same seed, and no id repeats within one.
 */
final class GeneratedCalls implements BenchRecords {
  static final long SEED = 20181231;
  static final long START = Instant.parse("2018-01-01T08:00:00Z").toEpochMilli();

  /** The generator's default density: an hour of event time per 120 calls. */
  static final double CALLS_PER_HOUR = 120;

  static final double UNKNOWN_SHARE = 0.02;

  @Override
  public String description() {
    return "generated San Francisco police calls (seed " + SEED + ", 120 an hour of event time)";
  }

  @Override
  public Iterator<BenchRecord> iterator() {
    CallGenerator generator =
        new CallGenerator(
            new CallGenerator.Settings(SEED, "bench", START, CALLS_PER_HOUR, UNKNOWN_SHARE));
    return BenchRecords.endless(
        () -> {
          PoliceCall call = generator.next();
          return new BenchRecord(call.crimeId(), PoliceCallCodec.encode(call));
        });
  }
}
