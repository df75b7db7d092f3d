package dev.sluice.bench.revenue;

import dev.sluice.bench.BenchRecord;
import dev.sluice.bench.BenchRecords;
import dev.sluice.loadgen.revenue.RevenueTraffic;
import java.time.Instant;
import java.util.Iterator;

/**
 * Revenue records as {@code ./sluice produce revenue} generates them at its defaults: 1,000 ids
 * updated again and again, 5% late and 5% duplicate records, keyed by id. Every pass starts over
 * with the same seed; keys repeat, as ids do.
 */
final class GeneratedRevenue implements BenchRecords {
  static final int IDS = 1_000;
  static final double LATE_SHARE = 0.05;
  static final double DUPLICATE_SHARE = 0.05;
  static final long SEED = 1;
  static final long START = Instant.parse("2026-11-30T00:00:00Z").toEpochMilli();

  /** Event time between two records: a day of event time per 86,400,000 records. */
  static final double STEP_MILLIS = 1;

  @Override
  public String description() {
    return "generated revenue records of "
        + IDS
        + " ids ("
        + Math.round(LATE_SHARE * 100)
        + "% late, "
        + Math.round(DUPLICATE_SHARE * 100)
        + "% duplicates, seed "
        + SEED
        + ")";
  }

  @Override
  public Iterator<BenchRecord> iterator() {
    RevenueTraffic traffic =
        new RevenueTraffic(
            new RevenueTraffic.Settings(
                IDS, LATE_SHARE, DUPLICATE_SHARE, SEED, START, STEP_MILLIS));
    return BenchRecords.endless(
        () -> {
          RevenueTraffic.Item item = traffic.next();
          return new BenchRecord(item.key(), item.value());
        });
  }
}
