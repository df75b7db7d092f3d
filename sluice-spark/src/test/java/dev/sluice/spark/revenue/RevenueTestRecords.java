package dev.sluice.spark.revenue;

import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.spark.testing.TopicWriter.Keyed;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * Revenue records as a producer sends them: ids as strings (some non-ASCII) and integers ({@code
 * "7"} beside {@code 7}), each updated again and again, out of order within the watermark,
 * duplicated, with timestamps as epoch milliseconds or ISO-8601, and malformed records among them.
 * Keyed by id, as producers key them.
 */
final class RevenueTestRecords {
  /** The first minute of event time. */
  static final long BASE = Instant.parse("2026-11-30T10:00:00Z").toEpochMilli();

  final List<Keyed> messages = new ArrayList<>();
  final List<RevenueRecord> records = new ArrayList<>();
  final List<String> malformed = new ArrayList<>();
  private final Set<String> distinct = new HashSet<>();

  /**
   * @param updates records before duplicates and malformed ones
   * @param minutes how many minutes of event time they span
   */
  static RevenueTestRecords generate(long seed, int ids, int updates, int minutes) {
    RevenueTestRecords generated = new RevenueTestRecords();
    Random random = new Random(seed);
    long span = minutes * 60_000L;
    for (int i = 0; i < updates; i++) {
      int n = random.nextInt(ids);
      boolean numeric = n % 4 == 0;
      String id = numeric ? Integer.toString(n) : (n % 4 == 1 ? "kunde-ü-" + n : "order " + n);
      if (n == 1) {
        id = "7"; // the string beside the integer 7 (n = 28 when ids > 28)
      }
      // Event time grows with the position, give or take 50 s: out of order, within the watermark.
      long nominal = BASE + span * i / updates;
      long timestamp = Math.max(BASE, nominal + random.nextInt(100_000) - 50_000);
      RevenueRecord record =
          new RevenueRecord(
              n == 28 ? "7" : id,
              numeric,
              random.nextInt(5_000_000) - 1_000_000,
              random.nextInt(4),
              timestamp);
      generated.add(record, random.nextBoolean());
      if (random.nextInt(10) == 0) {
        generated.add(record, random.nextBoolean()); // a duplicate
      }
      if (random.nextInt(40) == 0) {
        generated.addMalformed(random.nextInt(4));
      }
    }
    return generated;
  }

  /** Records of event time long behind the watermark: later than everything, yet older. */
  RevenueTestRecords late(long seed, int count) {
    RevenueTestRecords late = new RevenueTestRecords();
    Random random = new Random(seed);
    List<RevenueRecord> known = List.copyOf(records);
    for (int i = 0; i < count; i++) {
      RevenueRecord of = known.get(random.nextInt(known.size()));
      late.add(
          new RevenueRecord(
              of.id(),
              of.numericId(),
              random.nextInt(1_000_000),
              random.nextInt(4),
              BASE - 600_000 + random.nextInt(60_000)),
          true);
    }
    return late;
  }

  /**
   * Newer states of known ids, each newer than every record before: each becomes its id's latest.
   */
  RevenueTestRecords fresh(long seed, int count) {
    RevenueTestRecords fresh = new RevenueTestRecords();
    Random random = new Random(seed);
    long newest = records.stream().mapToLong(RevenueRecord::timestamp).max().orElse(BASE);
    List<RevenueRecord> known = List.copyOf(records);
    for (int i = 0; i < count; i++) {
      RevenueRecord of = known.get(random.nextInt(known.size()));
      fresh.add(
          new RevenueRecord(
              of.id(), of.numericId(), random.nextInt(1_000_000), 1, newest + 1 + i * 100L),
          false);
    }
    return fresh;
  }

  /** These records followed by {@code more}, as one stream of records. */
  RevenueTestRecords plus(RevenueTestRecords more) {
    RevenueTestRecords both = new RevenueTestRecords();
    both.messages.addAll(messages);
    both.messages.addAll(more.messages);
    both.records.addAll(records);
    both.records.addAll(more.records);
    both.malformed.addAll(malformed);
    both.malformed.addAll(more.malformed);
    both.distinct.addAll(distinct);
    both.distinct.addAll(more.distinct);
    return both;
  }

  void add(RevenueRecord record, boolean isoTimestamp) {
    var json = RevenueCodec.toJson(record);
    if (isoTimestamp) {
      json.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    }
    messages.add(new Keyed(record.id(), json.toString().getBytes(StandardCharsets.UTF_8)));
    records.add(record);
    distinct.add(record.id() + " " + record.version());
  }

  private void addMalformed(int kind) {
    String value =
        switch (kind) {
          case 0 ->
              "{\"id\": \"x\", \"revenue\": 1.00001, \"revenue_counter\": 1, \"timestamp\": 0}";
          case 1 -> "{\"id\": \"x\", \"revenue\": 1, \"revenue_counter\": -1, \"timestamp\": 0}";
          case 2 -> "{\"id\": \"x\", \"revenue\": 1, \"revenue_counter\": 1";
          default -> "{\"revenue\": 1, \"revenue_counter\": 1, \"timestamp\": \"yesterday\"}";
        };
    messages.add(new Keyed("malformed", value.getBytes(StandardCharsets.UTF_8)));
    malformed.add(value);
  }

  /** Distinct (id, version) pairs: the history entries Redis ends with (under the limit). */
  long distinctRecords() {
    return distinct.size();
  }

  /** What the minutes must say: per minute start, its figures over distinct records. */
  Map<Long, MinuteFigures> minutes() {
    Map<Long, MinuteFigures> minutes = new TreeMap<>();
    Set<String> seen = new HashSet<>();
    for (RevenueRecord record : records) {
      if (!seen.add(record.id() + " " + record.version())) {
        continue;
      }
      long start = record.timestamp() - Math.floorMod(record.timestamp(), 60_000L);
      minutes.computeIfAbsent(start, s -> new MinuteFigures()).add(record);
    }
    return minutes;
  }

  static final class MinuteFigures {
    long records;
    BigInteger revenueUnits = BigInteger.ZERO;
    final Set<String> ids = new HashSet<>();
    BigInteger revenueCounter = BigInteger.ZERO;
    long maxRevenueUnits = Long.MIN_VALUE;

    void add(RevenueRecord record) {
      records++;
      revenueUnits = revenueUnits.add(BigInteger.valueOf(record.revenueUnits()));
      ids.add(record.id());
      revenueCounter = revenueCounter.add(BigInteger.valueOf(record.revenueCounter()));
      maxRevenueUnits = Math.max(maxRevenueUnits, record.revenueUnits());
    }
  }
}
