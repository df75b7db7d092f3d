package dev.sluice.loadgen.revenue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The revenue pipeline's synthetic input: a fixed set of ids, each updated again and again, with a
 * share of late records and of duplicates. Deterministic for a seed and a start time, so tests and
 * reruns see the same records.
 *
 * <ul>
 *   <li><b>Updates.</b> Four in five go to the hottest fifth of the ids, the rest to any id; each
 *       update raises the id's {@code revenue_counter} by 1 to 3 and its revenue by 0.50 to 250.49.
 *       Event time advances with the schedule ({@code 1000 / rate} ms per record) and strictly
 *       within an id.
 *   <li><b>Late records.</b> Now and then an update is held back and the id's next state is sent in
 *       its place; the held one goes out some records later, after that newer state: out of order
 *       in event time, as a record delayed on its way would be.
 *   <li><b>Duplicates.</b> The exact bytes of one of the last {@value #RECENT} records sent, again.
 *   <li><b>Forms.</b> One id in three is a JSON integer, the others strings (one in seven of those
 *       with a non-ASCII letter); one record in four carries its timestamp as ISO-8601 instead of
 *       epoch milliseconds.
 * </ul>
 */
public final class RevenueTraffic {
  /** What a record is, for the summary and the tests. */
  public enum Kind {
    UPDATE,
    LATE,
    DUPLICATE
  }

  /**
   * One record to send.
   *
   * @param key the id, so that one id's records stay in one partition, in order
   * @param record the state it carries (for a duplicate, the state it repeats)
   */
  public record Item(Kind kind, String key, RevenueRecord record, byte[] value) {}

  /**
   * @param ids how many distinct ids
   * @param stepMillis event time between two records, at least 1
   */
  public record Settings(
      int ids,
      double lateShare,
      double duplicateShare,
      long seed,
      long startMillis,
      double stepMillis) {
    public Settings {
      if (ids < 1) {
        throw new IllegalArgumentException("at least one id: " + ids);
      }
      if (lateShare < 0 || duplicateShare < 0 || lateShare + duplicateShare >= 1) {
        throw new IllegalArgumentException(
            "shares must be at least 0 and below 1 together: " + lateShare + ", " + duplicateShare);
      }
    }
  }

  /** Records a duplicate may repeat: the most recent ones, as a producer's retry would. */
  static final int RECENT = 1024;

  /** Held-back updates waiting to go out late; beyond this, no more are held. */
  static final int MAX_HELD = 10_000;

  private static final double HOT_IDS = 0.2;
  private static final double HOT_UPDATES = 0.8;

  private final Settings settings;
  private final SplittableRandom random;
  private final IdState[] states;
  private final int hotIds;
  private final List<Item> held = new ArrayList<>();
  private final Item[] recent = new Item[RECENT];
  private final double holdProbability;
  private long sent;
  private double eventClock;

  private static final class IdState {
    final String id;
    final boolean numeric;
    long counter;
    long units;
    long timestamp = -1;

    IdState(String id, boolean numeric) {
      this.id = id;
      this.numeric = numeric;
    }
  }

  public RevenueTraffic(Settings settings) {
    this.settings = settings;
    this.random = new SplittableRandom(settings.seed());
    this.states = new IdState[settings.ids()];
    for (int i = 0; i < states.length; i++) {
      states[i] = newId(i);
    }
    this.hotIds = Math.max(1, (int) Math.ceil(settings.ids() * HOT_IDS));
    double updateShare = 1 - settings.lateShare() - settings.duplicateShare();
    // Updates are held as often as late records go out, so the held ones neither run out nor pile
    // up.
    this.holdProbability = Math.min(1, settings.lateShare() / updateShare);
    this.eventClock = settings.startMillis();
  }

  private IdState newId(int index) {
    if (index % 3 == 2) {
      return new IdState(Long.toString(100_000L + index), true);
    }
    String prefix = index % 7 == 0 ? "kunde-ä-" : "acct-";
    IdState state = new IdState(prefix + String.format(Locale.ROOT, "%05d", index), false);
    // Ids start at different amounts, as accounts of different ages do.
    state.units = random.nextLong(0, 10_000_000L);
    state.counter = random.nextLong(0, 50);
    return state;
  }

  /** The next record; the traffic never ends. */
  public Item next() {
    double draw = random.nextDouble();
    Item item;
    if (draw < settings.duplicateShare() && sent > 0) {
      Item original = recent[(int) random.nextLong(Math.min(sent, RECENT))];
      item = new Item(Kind.DUPLICATE, original.key(), original.record(), original.value());
    } else if (draw < settings.duplicateShare() + settings.lateShare() && !held.isEmpty()) {
      Item late = held.remove(random.nextInt(held.size()));
      item = new Item(Kind.LATE, late.key(), late.record(), late.value());
      advanceClock();
    } else {
      IdState state = states[pickId()];
      Item update = update(state);
      if (held.size() < MAX_HELD && random.nextDouble() < holdProbability) {
        // The newer state goes out now; this one later, after it.
        held.add(update);
        update = update(state);
      }
      item = update;
      advanceClock();
    }
    recent[(int) (sent % RECENT)] = item;
    sent++;
    return item;
  }

  private int pickId() {
    if (random.nextDouble() < HOT_UPDATES) {
      return random.nextInt(hotIds);
    }
    return random.nextInt(states.length);
  }

  private void advanceClock() {
    eventClock += settings.stepMillis();
  }

  private Item update(IdState state) {
    state.counter += 1 + random.nextInt(3);
    state.units += 5_000L + 100L * random.nextLong(0, 25_000);
    long due = (long) eventClock;
    state.timestamp = Math.max(due, state.timestamp + 1);
    RevenueRecord record =
        new RevenueRecord(state.id, state.numeric, state.units, state.counter, state.timestamp);
    return new Item(Kind.UPDATE, state.id, record, encode(record));
  }

  private byte[] encode(RevenueRecord record) {
    ObjectNode json = RevenueCodec.toJson(record);
    if (random.nextInt(4) == 0) {
      json.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
    }
    return JsonRecords.write(json);
  }
}
