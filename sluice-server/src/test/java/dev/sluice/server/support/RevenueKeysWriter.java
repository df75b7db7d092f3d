package dev.sluice.server.support;

import dev.sluice.core.records.JsonRecords;
import dev.sluice.core.revenue.RevenueCodec;
import dev.sluice.core.revenue.RevenueKeys;
import dev.sluice.core.revenue.RevenueRecord;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * Writes revenue state into Redis in the layout {@link RevenueKeys} documents, as the revenue
 * pipeline's Spark part does, so the server's tests need no Spark: each {@link #apply} is one
 * record arriving, in order; an older one only joins the history.
 */
public final class RevenueKeysWriter {
  private final Jedis jedis;
  private final RevenueKeys keys;

  public RevenueKeysWriter(Jedis jedis, RevenueKeys keys) {
    this.jedis = jedis;
    this.keys = keys;
  }

  /** Applies the record; returns whether it became its id's latest (and was announced). */
  public boolean apply(RevenueRecord record) {
    jedis.zadd(keys.history(record.id()), 0, historyMember(record));
    String stored = jedis.hget(keys.latest(record.id()), "version");
    if (stored != null && record.version().compareTo(stored) <= 0) {
      return false;
    }
    String oldUnits = jedis.hget(keys.latest(record.id()), "revenue_units");
    Map<String, String> latest = new LinkedHashMap<>();
    latest.put("id", record.id());
    latest.put("numeric_id", record.numericId() ? "1" : "0");
    latest.put("revenue", record.revenue().toPlainString());
    latest.put("revenue_units", Long.toString(record.revenueUnits()));
    latest.put("revenue_counter", Long.toString(record.revenueCounter()));
    latest.put("timestamp", Long.toString(record.timestamp()));
    latest.put("version", record.version());
    jedis.hset(keys.latest(record.id()), latest);
    if (stored == null) {
      jedis.hincrBy(keys.totals(), "ids", 1);
    }
    jedis.hincrBy(
        keys.totals(),
        "revenue_units",
        record.revenueUnits() - (oldUnits == null ? 0 : Long.parseLong(oldUnits)));
    jedis.zadd(keys.top(), record.revenue().doubleValue(), record.id());
    jedis.publish(keys.changes(), record.id());
    return true;
  }

  /** A minute's figures, as the minutes query writes them. */
  public void minute(long start, long records, String revenue, long ids) {
    var json = JsonRecords.newObject();
    json.put("minute", java.time.Instant.ofEpochMilli(start).toString());
    json.put("start", start);
    json.put("records", records);
    json.put("revenue", new java.math.BigDecimal(revenue));
    json.put("ids", ids);
    jedis.hset(
        keys.minutes(),
        Long.toString(start),
        new String(JsonRecords.write(json), StandardCharsets.UTF_8));
  }

  public static String historyMember(RevenueRecord record) {
    return record.version()
        + " "
        + new String(JsonRecords.write(RevenueCodec.toJson(record)), StandardCharsets.UTF_8);
  }
}
