package dev.sluice.spark.revenue;

import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What Redis must hold after a set of revenue records, computed in plain Java from the records
 * alone: the latest record per id (greatest version), the newest {@value RevenueKeys#HISTORY_LIMIT}
 * distinct records per id, the totals and the top ids.
 */
final class RevenueModel {
  final Map<String, RevenueRecord> latest = new TreeMap<>();
  final Map<String, TreeSet<String>> history = new TreeMap<>();

  RevenueModel(Collection<RevenueRecord> records) {
    for (RevenueRecord record : records) {
      latest.merge(record.id(), record, (a, b) -> a.version().compareTo(b.version()) >= 0 ? a : b);
      TreeSet<String> members = history.computeIfAbsent(record.id(), id -> new TreeSet<>());
      members.add(LatestStateScript.historyMember(record));
      while (members.size() > RevenueKeys.HISTORY_LIMIT) {
        members.pollFirst();
      }
    }
  }

  long ids() {
    return latest.size();
  }

  long revenueUnits() {
    return latest.values().stream().mapToLong(RevenueRecord::revenueUnits).sum();
  }

  /** Ids by latest revenue, highest first, ties by id descending (as ZREVRANGE orders them). */
  List<String> top() {
    List<RevenueRecord> records = new ArrayList<>(latest.values());
    records.sort(
        (a, b) -> {
          int byRevenue = Double.compare(b.revenue().doubleValue(), a.revenue().doubleValue());
          return byRevenue != 0 ? byRevenue : b.id().compareTo(a.id());
        });
    return records.stream().map(RevenueRecord::id).toList();
  }

  /** The latest hash Redis must hold for an id. */
  static Map<String, String> latestHash(RevenueRecord record) {
    Map<String, String> hash = new TreeMap<>();
    hash.put("id", record.id());
    hash.put("numeric_id", record.numericId() ? "1" : "0");
    hash.put("revenue", record.revenue().toPlainString());
    hash.put("revenue_units", Long.toString(record.revenueUnits()));
    hash.put("revenue_counter", Long.toString(record.revenueCounter()));
    hash.put("timestamp", Long.toString(record.timestamp()));
    hash.put("version", record.version());
    return hash;
  }
}
