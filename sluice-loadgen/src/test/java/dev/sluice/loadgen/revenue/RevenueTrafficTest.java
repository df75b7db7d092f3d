package dev.sluice.loadgen.revenue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueRecord;
import dev.sluice.loadgen.revenue.RevenueTraffic.Item;
import dev.sluice.loadgen.revenue.RevenueTraffic.Kind;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RevenueTrafficTest {
  private static final long START = 1_764_518_400_000L; // 2025-11-30T16:00:00Z
  private static final int RECORDS = 20_000;

  private static List<Item> generate(RevenueTraffic.Settings settings, int records) {
    RevenueTraffic traffic = new RevenueTraffic(settings);
    List<Item> items = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      items.add(traffic.next());
    }
    return items;
  }

  private static RevenueTraffic.Settings settings(double late, double duplicate, long seed) {
    return new RevenueTraffic.Settings(200, late, duplicate, seed, START, 10);
  }

  @Test
  void lateAndDuplicateSharesAreWithinTwoPointsOfWhatWasAsked() {
    for (double[] shares : new double[][] {{0.05, 0.05}, {0.2, 0.1}, {0, 0.3}, {0.3, 0}}) {
      List<Item> items = generate(settings(shares[0], shares[1], 11), RECORDS);
      Map<Kind, Long> kinds = new EnumMap<>(Kind.class);
      items.forEach(item -> kinds.merge(item.kind(), 1L, Long::sum));
      assertThat(kinds.getOrDefault(Kind.LATE, 0L) / (double) RECORDS)
          .as("late share for %s", List.of(shares[0], shares[1]))
          .isCloseTo(shares[0], within(0.02));
      assertThat(kinds.getOrDefault(Kind.DUPLICATE, 0L) / (double) RECORDS)
          .as("duplicate share for %s", List.of(shares[0], shares[1]))
          .isCloseTo(shares[1], within(0.02));
    }
  }

  @Test
  void everyRecordDecodesToTheStateItCarriesAndIsKeyedByItsId() {
    for (Item item : generate(settings(0.1, 0.1, 3), RECORDS)) {
      RevenueCodec.Decoded decoded = RevenueCodec.decode(item.value());
      assertThat(decoded.reason()).as(new String(item.value(), StandardCharsets.UTF_8)).isNull();
      assertThat(decoded.record()).isEqualTo(item.record());
      assertThat(item.key()).isEqualTo(decoded.record().id());
    }
  }

  @Test
  void aLateRecordIsOlderThanARecordAlreadySentForItsIdAndWasNeverSentBefore() {
    Map<String, String> newestVersion = new HashMap<>();
    Set<String> sentVersions = new HashSet<>();
    int late = 0;
    for (Item item : generate(settings(0.15, 0.05, 5), RECORDS)) {
      RevenueRecord record = RevenueCodec.decode(item.value()).record();
      String version = record.version();
      String newest = newestVersion.get(record.id());
      if (item.kind() == Kind.LATE) {
        late++;
        assertThat(newest).as("a newer state of %s went out before", record.id()).isNotNull();
        assertThat(version).isLessThan(newest);
        assertThat(record.timestamp())
            .isLessThan(Long.parseLong(newest.substring(0, newest.indexOf('.'))));
        assertThat(sentVersions).as("a late record is a new state").doesNotContain(version);
      }
      if (item.kind() == Kind.UPDATE) {
        assertThat(newest == null || version.compareTo(newest) > 0)
            .as("an update is the newest state of %s", record.id())
            .isTrue();
      }
      sentVersions.add(version);
      if (newest == null || version.compareTo(newest) > 0) {
        newestVersion.put(record.id(), version);
      }
    }
    assertThat(late).isGreaterThan(RECORDS / 10);
  }

  @Test
  void aDuplicateRepeatsTheExactBytesOfARecentRecord() {
    List<Item> items = generate(settings(0.05, 0.2, 9), RECORDS);
    int duplicates = 0;
    for (int i = 0; i < items.size(); i++) {
      Item item = items.get(i);
      if (item.kind() != Kind.DUPLICATE) {
        continue;
      }
      duplicates++;
      boolean found = false;
      for (int j = i - 1; j >= Math.max(0, i - RevenueTraffic.RECENT) && !found; j--) {
        found =
            java.util.Arrays.equals(items.get(j).value(), item.value())
                && items.get(j).key().equals(item.key());
      }
      assertThat(found).as("duplicate %d repeats one of the recent records", i).isTrue();
    }
    assertThat(duplicates).isGreaterThan(RECORDS / 10);
  }

  @Test
  void idsComeAsStringsAndIntegersAndTimestampsAsEpochAndIso() {
    int numericIds = 0;
    int isoTimestamps = 0;
    boolean nonAscii = false;
    for (Item item : generate(settings(0.05, 0.05, 1), 2_000)) {
      String json = new String(item.value(), StandardCharsets.UTF_8);
      if (json.matches("\\{\"id\":\\d+,.*")) {
        numericIds++;
      }
      if (json.matches(".*\"timestamp\":\"\\d{4}-.*Z\"}")) {
        isoTimestamps++;
      }
      nonAscii |= item.key().chars().anyMatch(c -> c > 127);
    }
    assertThat(numericIds).isBetween(200, 1_800);
    assertThat(isoTimestamps).isBetween(300, 700);
    assertThat(nonAscii).isTrue();
  }

  @Test
  void aFewIdsAreHotAndEveryIdGrowsAsItIsUpdated() {
    Map<String, Integer> updates = new HashMap<>();
    Map<String, RevenueRecord> newest = new HashMap<>();
    for (Item item : generate(settings(0, 0, 2), RECORDS)) {
      RevenueRecord record = item.record();
      updates.merge(record.id(), 1, Integer::sum);
      RevenueRecord before = newest.put(record.id(), record);
      if (before != null) {
        assertThat(record.revenueCounter()).isGreaterThan(before.revenueCounter());
        assertThat(record.revenueUnits()).isGreaterThan(before.revenueUnits());
        assertThat(record.timestamp()).isGreaterThan(before.timestamp());
      }
    }
    List<Integer> counts = updates.values().stream().sorted((a, b) -> b - a).toList();
    int hottestFifth = counts.subList(0, 40).stream().mapToInt(Integer::intValue).sum();
    assertThat(hottestFifth / (double) RECORDS).isGreaterThan(0.75);
    assertThat(updates).hasSizeGreaterThan(190);
  }

  @Test
  void theSameSeedGeneratesTheSameRecords() {
    List<Item> first = generate(settings(0.1, 0.1, 42), 1_000);
    List<Item> second = generate(settings(0.1, 0.1, 42), 1_000);
    List<Item> other = generate(settings(0.1, 0.1, 43), 1_000);
    for (int i = 0; i < first.size(); i++) {
      assertThat(second.get(i).value()).isEqualTo(first.get(i).value());
    }
    assertThat(
            java.util.stream.IntStream.range(0, 1_000)
                .filter(i -> !java.util.Arrays.equals(first.get(i).value(), other.get(i).value()))
                .count())
        .isGreaterThan(900);
  }
}
